//! Whether to colour, decided once, and the colours of verdicts and of sending outcomes;
//! renderers receive a [`Palette`].

use owo_colors::OwoColorize;

use crate::model::Status;
use crate::outcome::Severity;
use crate::sanitize::{Escaping, escaped};

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// The flag wins; then `NO_COLOR` turns colour off and `CLICOLOR_FORCE` on; then colour only
/// when stdout is a terminal.
pub fn decide(
    when: ColorWhen,
    stdout_is_terminal: bool,
    env: impl Fn(&str) -> Option<String>,
) -> Palette {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
    let enabled = match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto if set("NO_COLOR") => false,
        ColorWhen::Auto
            if set("CLICOLOR_FORCE") && env("CLICOLOR_FORCE").as_deref() != Some("0") =>
        {
            true
        }
        ColorWhen::Auto => stdout_is_terminal,
    };
    Palette { enabled }
}

/// Colours for escaped text; plain text when colour is off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    pub enabled: bool,
}

impl Palette {
    /// `text` in the colour of `status`: PASS green, FAIL red, GRAY yellow, PROCESSING_FAILED
    /// magenta, DISABLED blue, anything else plain.
    pub fn status(&self, status: &Status, text: &str) -> String {
        if !self.enabled {
            return text.to_string();
        }
        match status {
            Status::Pass => text.green().to_string(),
            Status::Fail => text.red().bold().to_string(),
            Status::Gray => text.yellow().to_string(),
            Status::ProcessingFailed => text.magenta().to_string(),
            Status::Disabled => text.blue().to_string(),
            Status::Other(_) => text.to_string(),
        }
    }

    /// `text` in the colour of a sending outcome's `severity`: good green, warning yellow, bad
    /// red, neutral plain.
    pub fn severity(&self, severity: Severity, text: &str) -> String {
        if !self.enabled {
            return text.to_string();
        }
        match severity {
            Severity::Good => text.green().to_string(),
            Severity::Neutral => text.to_string(),
            Severity::Warning => text.yellow().to_string(),
            Severity::Bad => text.red().bold().to_string(),
        }
    }

    /// The status's name, escaped and in its colour.
    pub fn status_name(&self, status: &Status) -> String {
        self.status(status, &escaped(status.as_str(), Escaping::Display))
    }

    /// Something that deserves attention: yellow and bold.
    pub fn warning(&self, text: &str) -> String {
        if self.enabled {
            text.yellow().bold().to_string()
        } else {
            text.to_string()
        }
    }

    pub fn dim(&self, text: &str) -> String {
        if self.enabled {
            text.dimmed().to_string()
        } else {
            text.to_string()
        }
    }

    pub fn bold(&self, text: &str) -> String {
        if self.enabled {
            text.bold().to_string()
        } else {
            text.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn flag_wins_then_no_color_then_force_then_terminal() {
        assert!(decide(ColorWhen::Always, false, env(&[("NO_COLOR", "1")])).enabled);
        assert!(!decide(ColorWhen::Never, true, env(&[("CLICOLOR_FORCE", "1")])).enabled);
        assert!(
            !decide(
                ColorWhen::Auto,
                true,
                env(&[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")])
            )
            .enabled
        );
        assert!(decide(ColorWhen::Auto, false, env(&[("CLICOLOR_FORCE", "1")])).enabled);
        assert!(!decide(ColorWhen::Auto, false, env(&[("CLICOLOR_FORCE", "0")])).enabled);
        assert!(decide(ColorWhen::Auto, true, env(&[("NO_COLOR", "")])).enabled);
        assert!(!decide(ColorWhen::Auto, false, env(&[])).enabled);
    }
}
