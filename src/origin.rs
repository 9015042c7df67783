//! Where a message or a problem is: the input, the line and column, and the chain of lists and
//! envelopes that leads to it inside its document (`events.json:12 Records[3] → body`).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// A line and a byte column, both counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: u64,
    pub column: u64,
}

impl Position {
    pub const START: Position = Position { line: 1, column: 1 };
}

/// One link of the chain into a document: element `index` of the array called `label` (empty
/// for a top-level array), or the field `label` (`Sns.Message`) when there is no index. A label
/// is a known name, or a key found in the input (already escaped for people) when a wrapper
/// sesinspect was not taught is searched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub label: Cow<'static, str>,
    pub index: Option<usize>,
}

impl Link {
    pub fn element(label: impl Into<Cow<'static, str>>, index: usize) -> Link {
        Link {
            label: label.into(),
            index: Some(index),
        }
    }

    pub fn field(label: impl Into<Cow<'static, str>>) -> Link {
        Link {
            label: label.into(),
            index: None,
        }
    }
}

impl fmt::Display for Link {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.label)?;
        match self.index {
            Some(index) => write!(f, "[{index}]"),
            None => Ok(()),
        }
    }
}

/// Where something is. A message's origin is where its document starts, shown as the `input`
/// field (`FILE:LINE`, with `:COLUMN` only when the document does not start a line); a
/// problem's is the exact place, always with its column, or no place for a whole input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The input's name as given (`-` reads as `<stdin>`).
    pub input: Arc<str>,
    pub at: Option<Position>,
    pub chain: Vec<Link>,
}

impl Origin {
    /// A whole input, with no place in it.
    pub fn whole(input: &Arc<str>) -> Origin {
        Origin {
            input: Arc::clone(input),
            at: None,
            chain: Vec::new(),
        }
    }

    pub fn at(input: &Arc<str>, at: Position, chain: Vec<Link>) -> Origin {
        Origin {
            input: Arc::clone(input),
            at: Some(at),
            chain,
        }
    }

    /// The same place, one link further in.
    pub fn with_link(&self, link: Link) -> Origin {
        let mut chain = self.chain.clone();
        chain.push(link);
        Origin {
            input: Arc::clone(&self.input),
            at: self.at,
            chain,
        }
    }

    /// The same chain, at another position (a problem found inside this origin's document).
    pub fn moved_to(&self, at: Position) -> Origin {
        Origin {
            at: Some(at),
            ..self.clone()
        }
    }

    /// Shown as a problem's place: `FILE:LINE:COLUMN chain`.
    pub fn exact(&self) -> Exact<'_> {
        Exact(self)
    }

    fn write_chain(&self, f: &mut fmt::Formatter) -> fmt::Result {
        for (i, link) in self.chain.iter().enumerate() {
            f.write_str(if i == 0 { " " } else { " → " })?;
            write!(f, "{link}")?;
        }
        Ok(())
    }
}

/// `FILE:LINE` (`:COLUMN` when the document does not start its line) and the chain.
impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.input)?;
        if let Some(at) = self.at {
            write!(f, ":{}", at.line)?;
            if at.column > 1 {
                write!(f, ":{}", at.column)?;
            }
        }
        self.write_chain(f)
    }
}

/// An origin shown with its column always.
pub struct Exact<'o>(&'o Origin);

impl fmt::Display for Exact<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0.input)?;
        if let Some(at) = self.0.at {
            write!(f, ":{}:{}", at.line, at.column)?;
        }
        self.0.write_chain(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_messages_and_problems() {
        let input: Arc<str> = Arc::from("e.json");
        let origin = Origin::at(&input, Position::START, vec![Link::element("Records", 2)])
            .with_link(Link::field("body"));
        assert_eq!(origin.to_string(), "e.json:1 Records[2] → body");
        assert_eq!(origin.exact().to_string(), "e.json:1:1 Records[2] → body");
        let later = origin.moved_to(Position { line: 3, column: 9 });
        assert_eq!(later.to_string(), "e.json:3:9 Records[2] → body");
        assert_eq!(Origin::whole(&input).exact().to_string(), "e.json");
    }
}
