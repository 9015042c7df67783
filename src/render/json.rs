//! JSON output: one object per message with exact values — an array (`json`) or one object
//! per line (`ndjson`).

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::RecordFormat;
use crate::fields::Value;

pub struct JsonArray;
pub struct JsonLines;

impl RecordFormat for JsonArray {
    fn begin(&self, _columns: &[&str], out: &mut Vec<u8>) {
        out.push(b'[');
    }

    fn record(&self, columns: &[&str], values: &[Value], out: &mut Vec<u8>) {
        out.push(b'\n');
        write_object(columns, values, out);
    }

    fn separator(&self) -> &'static [u8] {
        b","
    }

    fn end(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"\n]\n");
    }
}

impl RecordFormat for JsonLines {
    fn begin(&self, _columns: &[&str], _out: &mut Vec<u8>) {}

    fn record(&self, columns: &[&str], values: &[Value], out: &mut Vec<u8>) {
        write_object(columns, values, out);
        out.push(b'\n');
    }
}

fn write_object(columns: &[&str], values: &[Value], out: &mut Vec<u8>) {
    let row = Row { columns, values };
    // Writing JSON into memory fails only for non-string map keys, which a row never has.
    let _ = serde_json::to_writer(out, &row);
}

struct Row<'r, 'v> {
    columns: &'r [&'r str],
    values: &'r [Value<'v>],
}

impl Serialize for Row<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.columns.len()))?;
        for (column, value) in self.columns.iter().zip(self.values) {
            map.serialize_entry(column, value)?;
        }
        map.end()
    }
}

impl Serialize for Value<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Missing => serializer.serialize_none(),
            Value::Text(text) => serializer.serialize_str(text),
            Value::Owned(text) => serializer.serialize_str(text),
            Value::Verdict(status) => serializer.serialize_str(status.as_str()),
            Value::List(items) => serializer.collect_seq(items.iter()),
            Value::Slots(items) => serializer.collect_seq(items.iter()),
            Value::Number(n) => serializer.serialize_u64(*n),
            Value::Signed(n) => serializer.serialize_i64(*n),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Json(value) => value.serialize(serializer),
            Value::Tags(tags) => {
                serializer.collect_map(tags.0.iter().map(|(name, values)| (name, &values.0)))
            }
            Value::Unreadable(found) => {
                let found: &serde_json::value::RawValue =
                    serde_json::from_str(found).map_err(serde::ser::Error::custom)?;
                serializer.collect_map([("unreadable", found)])
            }
        }
    }
}
