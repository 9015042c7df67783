//! Where a message or a problem came from: the input, the line of its document, and the steps
//! taken inside that document (`events.json:12 Records[3]`).

use std::fmt;
use std::sync::Arc;

/// One step into a document: element `index` of the array called `label` (empty for a
/// top-level array), or the field `label` (`Sns.Message`) when there is no index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub label: &'static str,
    pub index: Option<usize>,
}

impl Step {
    pub fn at(label: &'static str, index: usize) -> Step {
        Step {
            label,
            index: Some(index),
        }
    }

    pub fn field(label: &'static str) -> Step {
        Step { label, index: None }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.label)?;
        match self.index {
            Some(index) => write!(f, "[{index}]"),
            None => Ok(()),
        }
    }
}

/// Where a message came from, as shown in the `input` column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The input's name as given (`-` reads as `<stdin>`).
    pub input: Arc<str>,
    /// The line on which the message's document starts.
    pub line: u64,
    /// The column, when the document does not start a line (several documents on one line).
    pub column: Option<u64>,
    pub steps: Vec<Step>,
}

impl Origin {
    pub fn with_step(&self, step: Step) -> Origin {
        let mut steps = self.steps.clone();
        steps.push(step);
        Origin {
            input: Arc::clone(&self.input),
            line: self.line,
            column: self.column,
            steps,
        }
    }
}

/// Writes ` a → b` for the steps, if any.
pub fn write_steps(f: &mut fmt::Formatter, steps: &[Step]) -> fmt::Result {
    for (i, step) in steps.iter().enumerate() {
        f.write_str(if i == 0 { " " } else { " → " })?;
        write!(f, "{step}")?;
    }
    Ok(())
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}:{}", self.input, self.line)?;
        if let Some(column) = self.column {
            write!(f, ":{column}")?;
        }
        write_steps(f, &self.steps)
    }
}
