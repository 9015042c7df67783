//! The record as path selectors read it: parsed into a `serde_json::Value` once per message, and
//! only the parts that the paths name are built; the rest is skipped as it is read (most of a
//! record, its headers above all, is never built).

use std::cell::OnceCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value as Json};

use super::{PathStep, Selector};
use crate::model::{Borrowed, Message};

/// What path selectors read of a record: a tree of the keys and indices on their way.
#[derive(Debug, Clone, Default)]
pub struct Paths(Node);

#[derive(Debug, Clone, Default)]
struct Node {
    /// A path ends here: the value is built whole.
    whole: bool,
    keys: Vec<(String, Node)>,
    indices: Vec<(usize, Node)>,
}

impl Paths {
    /// The paths among `selectors`.
    pub fn of<'s>(selectors: impl IntoIterator<Item = &'s Selector>) -> Paths {
        let mut root = Node::default();
        for selector in selectors {
            if let Selector::Path { steps, .. } = selector {
                // A path is looked up in the `ses` object first, then in the record itself.
                root.child(&PathStep::Key("ses".to_string())).add(steps);
                root.add(steps);
            }
        }
        Paths(root)
    }
}

impl Node {
    fn add(&mut self, steps: &[PathStep]) {
        match steps.split_first() {
            None => self.whole = true,
            Some((step, rest)) => self.child(step).add(rest),
        }
    }

    fn child(&mut self, step: &PathStep) -> &mut Node {
        match step {
            PathStep::Key(key) => child_in(&mut self.keys, key),
            PathStep::Index(index) => child_in(&mut self.indices, index),
        }
    }

    fn key(&self, key: &str) -> Option<&Node> {
        self.keys
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, node)| node)
    }

    fn index(&self, index: usize) -> Option<&Node> {
        self.indices
            .iter()
            .find(|(i, _)| *i == index)
            .map(|(_, node)| node)
    }
}

fn child_in<'n, K: PartialEq + Clone>(children: &'n mut Vec<(K, Node)>, step: &K) -> &'n mut Node {
    let at = match children.iter().position(|(k, _)| k == step) {
        Some(at) => at,
        None => {
            children.push((step.clone(), Node::default()));
            children.len() - 1
        }
    };
    &mut children[at].1
}

/// The record parsed, once, and only if a path asks for it.
#[derive(Debug)]
pub struct Tree<'p> {
    paths: &'p Paths,
    parsed: OnceCell<Option<Json>>,
}

impl<'p> Tree<'p> {
    pub fn new(paths: &'p Paths) -> Tree<'p> {
        Tree {
            paths,
            parsed: OnceCell::new(),
        }
    }

    /// The record with the parts the paths name (`None` when it is not JSON).
    pub(super) fn get(&self, message: &Message) -> Option<&Json> {
        self.parsed
            .get_or_init(|| {
                let mut json = serde_json::Deserializer::from_str(message.raw);
                let pruned = Pruned(&self.paths.0).deserialize(&mut json).ok()?;
                json.end().ok()?;
                Some(pruned)
            })
            .as_ref()
    }
}

/// Builds a value with only the parts its node names. Where no path goes on, a value is
/// skipped; a skipped element of an array stays as `null`, so that indices still count. A
/// value on a path's way that is not an object or array is `null` too: no path goes into it.
struct Pruned<'n>(&'n Node);

impl<'de> DeserializeSeed<'de> for Pruned<'_> {
    type Value = Json;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Json, D::Error> {
        if self.0.whole {
            serde::Deserialize::deserialize(deserializer)
        } else {
            deserializer.deserialize_any(self)
        }
    }
}

impl<'de> Visitor<'de> for Pruned<'_> {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut kept = Map::new();
        while let Some(Borrowed(key)) = map.next_key()? {
            match self.0.key(&key) {
                Some(node) => {
                    let value = map.next_value_seed(Pruned(node))?;
                    kept.insert(key.into_owned(), value);
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Json::Object(kept))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut kept = Vec::new();
        loop {
            let element = match self.0.index(kept.len()) {
                Some(node) => seq.next_element_seed(Pruned(node))?,
                None => seq.next_element::<IgnoredAny>()?.map(|_| Json::Null),
            };
            match element {
                Some(element) => kept.push(element),
                None => return Ok(Json::Array(kept)),
            }
        }
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::{Paths, Pruned};
    use crate::select::{Selector, walk};
    use serde::de::DeserializeSeed;

    /// Each path finds in the pruned record what it finds in the whole one.
    #[test]
    fn a_pruned_record_answers_its_paths_as_the_whole_one() {
        let records = [
            r#"{"ses":{"mail":{"headers":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"n":5,"x":[1,[2,3],{"y":null}]}},"top":{"k":true},"eventSource":"aws:ses"}"#,
            r#"{"mail":{"headers":[{"name":"A\u0041","value":"\"q\""}],"t":"a","t":"b"},"ses":7,"a\"b":{"c":1}}"#,
            r#"[1,{"mail":2}]"#,
            r#""text""#,
        ];
        let specs = [
            "mail.headers[1].value",
            "mail.headers[0]",
            "mail.headers[0].name",
            "mail.headers[5].name",
            "mail.n",
            "mail.t",
            "mail.n.deeper",
            "mail.x[1][0]",
            "mail.x[2].y",
            "mail.x[0].z",
            "top.k",
            "ses.mail.n",
            "ses.mail",
            "mail.headers",
        ];
        for spec in specs {
            let selector = Selector::parse(spec).expect("a path");
            let Selector::Path { steps, .. } = &selector else {
                panic!("{spec} is a path");
            };
            // One path alone, and all of them together.
            let all: Vec<Selector> = specs
                .iter()
                .map(|s| Selector::parse(s).expect("a path"))
                .collect();
            for paths in [Paths::of([&selector]), Paths::of(&all)] {
                for record in records {
                    let whole: serde_json::Value = serde_json::from_str(record).expect("JSON");
                    let mut json = serde_json::Deserializer::from_str(record);
                    let pruned = Pruned(&paths.0).deserialize(&mut json).expect("JSON");
                    assert_eq!(
                        walk(&pruned, steps),
                        walk(&whole, steps),
                        "{spec} in {record}"
                    );
                }
            }
        }
    }

    #[test]
    fn builds_only_what_the_paths_name() {
        let record =
            r#"{"mail":{"headers":[{"name":"A","value":"1"}],"source":"a@x"},"receipt":{"spf":1}}"#;
        let selector = Selector::parse("mail.source").expect("a path");
        let paths = Paths::of([&selector]);
        let mut json = serde_json::Deserializer::from_str(record);
        let pruned = Pruned(&paths.0).deserialize(&mut json).expect("JSON");
        assert_eq!(pruned, serde_json::json!({"mail": {"source": "a@x"}}));
    }
}
