//! `generate`: turns its arguments into a `generate::Spec`, checks that they fit together, and
//! writes the events, one document per line (or pretty, or all in one `{"Records":[…]}`), and
//! with `--truth` the answers a reader must find.

use std::fs::File;
use std::io::{self, BufWriter, Write};

use anyhow::{Context, bail};

use crate::cli::GenerateArgs;
use crate::exit::Outcome;
use crate::generate::{self, EventKind, Events, Gzip, Spec, Truth, Verdicts, Wrap, Written};

use super::Env;

pub fn run(args: GenerateArgs, env: &mut Env) -> anyhow::Result<Outcome> {
    let spec = spec(&args)?;
    // Created before the events, so that a FILE that cannot be written stops the run at once.
    let mut truth = args
        .truth
        .as_ref()
        .map(|path| {
            File::create(path)
                .with_context(|| format!("--truth {}", path.display()))
                .map(|file| (path, file, Truth::default()))
        })
        .transpose()?;
    let out = &mut env.stdout.writer;
    let mut gzip = Gzip::default();
    let count = usize::try_from(args.count).unwrap_or(usize::MAX);
    let records = args.wrap == Some(Wrap::Records);
    if records {
        out.write_all(b"{\"Records\":[")?;
    }
    for (index, made) in Events::new(spec, args.seed).take(count).enumerate() {
        if let Some((_, _, truth)) = &mut truth {
            truth.add(&made.fact);
        }
        let mut rng = made.wrapping;
        match generate::wrap::wrap(made.event, args.wrap, &mut rng, &mut gzip) {
            // As an io::Error, so that a closed pipe is known as one and ends the run quietly.
            Written::Json(value) if args.pretty => {
                serde_json::to_writer_pretty(&mut *out, &value).map_err(io::Error::from)?;
            }
            Written::Json(value) => {
                serde_json::to_writer(&mut *out, &value).map_err(io::Error::from)?;
            }
            Written::Text(text) => out.write_all(text.as_bytes())?,
            Written::Record(value) => {
                out.write_all(if index == 0 { b"\n" } else { b",\n" })?;
                serde_json::to_writer(&mut *out, &value).map_err(io::Error::from)?;
                continue;
            }
        }
        out.write_all(b"\n")?;
    }
    if records {
        out.write_all(b"\n]}\n")?;
    }
    out.flush()?;
    if let Some((path, file, truth)) = truth {
        let mut file = BufWriter::new(file);
        serde_json::to_writer_pretty(&mut file, &truth.finish(args.kind == EventKind::Received))
            .map_err(io::Error::from)
            .and_then(|()| file.write_all(b"\n"))
            .and_then(|()| file.flush())
            .with_context(|| format!("--truth {}", path.display()))?;
    }
    Ok(Outcome::Success)
}

/// The settings asked for, once they are known to fit together.
fn spec(args: &GenerateArgs) -> anyhow::Result<Spec> {
    let received = args.kind == EventKind::Received;
    let receipt_only = [
        ("--spf", args.spf.is_some()),
        ("--dkim", args.dkim.is_some()),
        ("--dmarc", args.dmarc.is_some()),
        ("--no-dmarc", args.no_dmarc),
        ("--dmarc-policy", args.dmarc_policy.is_some()),
        ("--spam", args.spam.is_some()),
        ("--virus", args.virus.is_some()),
        ("--action", args.action.is_some()),
    ];
    let sending_only = [
        ("--bounce", args.bounce.is_some()),
        ("--complaint", args.complaint.is_some()),
        ("--notification", args.notification),
        ("--tag", !args.tag.is_empty()),
    ];
    if let Some((flag, _)) = receipt_only.iter().find(|(_, given)| *given && !received) {
        bail!("{flag} is about receipt events: use it with --type received");
    }
    if let Some((flag, _)) = sending_only.iter().find(|(_, given)| *given && received) {
        bail!("{flag} is about sending events: use it with --type sending or a sending type");
    }
    let fits = |kind: EventKind| args.kind == kind || args.kind == EventKind::Sending;
    if args.bounce.is_some() && !fits(EventKind::Bounce) {
        bail!("--bounce needs --type bounce (or sending)");
    }
    if args.complaint.is_some() && !fits(EventKind::Complaint) {
        bail!("--complaint needs --type complaint (or sending)");
    }
    if args.notification
        && !generate::sending::has_notification(args.kind)
        && args.kind != EventKind::Sending
    {
        bail!("--notification: SES sends only Bounce, Complaint and Delivery as notifications");
    }
    if let Some(why) = args.wrap.and_then(|wrap| wrap.refuses(received)) {
        bail!("--wrap: {why}");
    }
    if args.pretty && args.wrap == Some(Wrap::CloudwatchText) {
        bail!("--pretty: cloudwatch-text is log text, not one JSON document");
    }
    if args.pretty && args.wrap == Some(Wrap::Records) {
        bail!("--pretty: records writes one document, a record a line");
    }
    if args.trouble != 1 && !(args.kind == EventKind::Sending && args.mix) {
        bail!("--trouble changes the chances --mix draws: use it with --type sending --mix");
    }
    let bounce = args.bounce.as_deref().map(bounce).transpose()?;
    let tags = args
        .tag
        .iter()
        .map(|tag| {
            tag.split_once('=')
                .filter(|(name, _)| !name.is_empty())
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .ok_or_else(|| anyhow::anyhow!("--tag {tag:?}: write NAME=VALUE"))
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(Spec {
        kind: args.kind,
        mix: args.mix,
        verdicts: Verdicts {
            spf: args.spf,
            dkim: args.dkim,
            dmarc: args.dmarc,
            spam: args.spam,
            virus: args.virus,
        },
        no_dmarc: args.no_dmarc,
        dmarc_policy: args.dmarc_policy,
        action: args.action,
        bounce,
        feedback: args.complaint,
        notification: args.notification,
        from: args.from.clone(),
        to: args.to.clone(),
        subject: args.subject.clone(),
        encoded_words: args.encoded_words,
        headers_truncated: args.headers_truncated,
        tags,
        trouble: args.trouble,
    })
}

/// `--bounce TYPE/SUBTYPE` (or TYPE alone, for its first subtype), as SES spells them.
fn bounce(text: &str) -> anyhow::Result<(String, String)> {
    let (kind, subtype) = text.split_once('/').unwrap_or((text, ""));
    generate::sending::BOUNCES
        .iter()
        .find(|(k, s, _)| {
            k.eq_ignore_ascii_case(kind) && (subtype.is_empty() || s.eq_ignore_ascii_case(subtype))
        })
        .map(|(k, s, _)| ((*k).to_owned(), (*s).to_owned()))
        .ok_or_else(|| {
            let known: Vec<String> = generate::sending::BOUNCES
                .iter()
                .map(|(k, s, _)| format!("{k}/{s}"))
                .collect();
            anyhow::anyhow!(
                "--bounce {text:?}: not a bounce SES sends; one of {}",
                known.join(", ")
            )
        })
}
