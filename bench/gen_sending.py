#!/usr/bin/env python3
"""Make a reproducible corpus of realistic SES sending events for benchmarks and load tests.

Messages are sent through a configuration set to one to three recipients each, and every event
SES publishes about them is written, one JSON record per line, as Firehose writes them to S3:
Send for every message; then per recipient a Delivery (most), a hard bounce (Permanent:
General, NoEmail, Suppressed, OnAccountSuppressionList) or a soft one (Transient: General,
MailboxFull, MessageTooLarge, ContentRejected; Undetermined), a DeliveryDelay before some
deliveries and soft bounces, Opens and Clicks after some deliveries, a Complaint after a few, and
a Subscription change now and then; a few messages are rejected (Reject) or fail to render
(Rendering Failure) instead. About one in ten Bounce, Complaint and Delivery events comes as an
identity notification (`notificationType`, no tags) rather than from event publishing. Bounces
carry DSN fields (some multi-line, as Gmail writes them); some, like out-of-office replies, only
the address.

Each message is first planned — its recipients and what becomes of each (`Plan`, `Fate`) — and
its events are then written from the plan, so the counts any correct reader must find follow
from the plans alone.

With --truth FILE, the known answers are written to FILE as JSON, computed from the plans alone
(not by reading the events back): `events` (type → count), `messages` (distinct SES message ids),
`sent` (distinct (message, lower-cased recipient) pairs of the messages not rejected and not
failed to render), `hard_bounces` (pairs with a Permanent bounce SES counts: every subtype but
OnAccountSuppressionList; Suppressed counts), `soft_bounces` (pairs with a Transient or
Undetermined bounce), `complaints` (pairs complained about), `bounce_rate` (hard_bounces / sent)
and `complaint_rate` (complaints / sent), both fractions; and `suppress`, the suppression list:
lower-cased address → "BOUNCE" or "COMPLAINT". The rule of the list: an address gets BOUNCE
after a hard bounce as counted above (not after OnAccountSuppressionList: it is already on the
account's list) and COMPLAINT after a complaint; when it has both, COMPLAINT (a person asked not
to be mailed), as `sesinspect recipients` recommends. Soft bounces never suppress.

--trouble N multiplies the chances of hard and soft bounces, complaints and unsubscriptions by N,
so that a small corpus for a test still has every kind of event.

Shapes (--shape):
  ndjson   one event record per line, as in a Firehose-to-S3 object (default)
  sns      one SNS notification body per line, the record as a JSON string in `Message`

Examples:
  python3 gen_sending.py --count 100000 --seed 7 > sending.ndjson
  python3 gen_sending.py --count 1000 --shape sns | gzip > sns-bodies.ndjson.gz
  python3 gen_sending.py --count 150 --seed 2 --trouble 15 --truth truth.json > events.ndjson
"""
import argparse
import json
import random
import sys
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

FIRST = ["Jane", "John", "Ana", "Björn", "Zoë", "Łukasz", "Mei", "Søren", "Olu", "Priya", "Ivan", "Chen"]
LAST = ["Doe", "Roe", "Silva", "Müller", "Nakamura", "Kowalski", "OBrien", "Garcia", "Oster", "Smith"]
DOMAINS = ["example.com", "example.org", "mail.example.net", "gmail.example", "outlook.example",
           "yahoo.example", "corp.example.io", "xn--bcher-kva.example"]
SENDERS = [("Example News", "news@example.org"), ("Example Shop", "orders@shop.example.org"),
           ("Example Support", "support@example.org"), ("Example Billing", "billing@example.org")]
SUBJECTS = ["Your order has shipped", "March newsletter: what's new", "Password reset request",
            "Invoice 4471 for October", "Überweisung bestätigt", "会议通知: quarterly review",
            "Welcome to Example!", "Your weekly report", "Action required: confirm your address"]
CONFIGURATION_SETS = ["newsletter", "transactional", "marketing"]
LINKS = ["https://example.org/news/march", "https://shop.example.org/orders?id=%d",
         "https://example.org/unsubscribe", "https://example.org/account/confirm?t=%d"]
USER_AGENTS = ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
               "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36",
               "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)",
               "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"]
HARD = [("General", "5.1.1", "smtp; 550 5.1.1 <{a}>: Recipient address rejected: User unknown in virtual mailbox table"),
        ("General", "5.1.1", "smtp; 550-5.1.1 The email account that you tried to reach does not exist. Please try\n"
                             "550-5.1.1 double-checking the recipient's email address for typos or\n"
                             "550-5.1.1 unnecessary spaces. For more information, go to\n"
                             "550 5.1.1  https://support.google.example/mail/?p=NoSuchUser x12si123wmc.1 - gsmtp"),
        ("NoEmail", "5.1.1", "smtp; 550 5.1.1 mailbox unavailable"),
        ("Suppressed", "5.1.1", "Amazon SES has suppressed sending to this address because it has a recent history of bouncing as an invalid address."),
        ("OnAccountSuppressionList", "5.1.1", "Amazon SES did not send the message to this address because it is on the suppression list for your account.")]
SOFT = [("Transient", "General", None, None),
        ("Transient", "MailboxFull", "5.2.2", "smtp; 552 5.2.2 Mailbox full"),
        ("Transient", "MessageTooLarge", "5.3.4", "smtp; 552 5.3.4 Message size exceeds fixed limit"),
        ("Transient", "ContentRejected", "5.7.1", "smtp; 554 5.7.1 Message rejected as spam"),
        ("Undetermined", "Undetermined", None, None)]
DELAYS = [("TransientCommunicationFailure", "4.4.1", "smtp; 421 4.4.1 Unable to connect to remote host"),
          ("MailboxFull", "4.2.2", "smtp; 452 4.2.2 Mailbox full"),
          ("SpamDetected", "4.7.1", "smtp; 421 4.7.1 Try again later, closing connection (spam)"),
          ("RecipientServerError", "4.3.0", "smtp; 451 4.3.0 Internal server error")]
FEEDBACK_TYPES = ["abuse"] * 8 + ["fraud", "virus", None]


@dataclass
class Fate:
    """What becomes of one recipient of a message, in the order SES reports it."""
    address: str
    delayed: bool = False
    # "delivered", "hard", "soft"
    outcome: str = "delivered"
    bounce: tuple = ()
    opens: int = 0
    clicks: int = 0
    complained: bool = False
    unsubscribed: bool = False


@dataclass
class Plan:
    """One message sent, and what becomes of it: rejected, not rendered, or a fate per recipient."""
    ses_id: str
    sent: datetime
    sender: tuple
    subject: str
    configuration_set: str
    template: str = None
    refused: str = None  # "Reject" or "Rendering Failure"
    fates: list = field(default_factory=list)


def address(rnd):
    first, last = rnd.choice(FIRST), rnd.choice(LAST)
    local = "".join(c for c in (first + "." + last).lower() if c.isascii() and (c.isalnum() or c == "."))
    return "%s%d@%s" % (local.strip("."), rnd.randrange(100), rnd.choice(DOMAINS))


def plan_message(rnd, t0, i, trouble=1.0):
    sent = t0 + timedelta(seconds=i * 3 + rnd.randrange(3), milliseconds=rnd.randrange(1000))
    ses_id = "0102018e%08x-%s-000000" % (i, str(uuid.UUID(int=rnd.getrandbits(128))))
    plan = Plan(ses_id=ses_id, sent=sent, sender=rnd.choice(SENDERS), subject=rnd.choice(SUBJECTS),
                configuration_set=rnd.choice(CONFIGURATION_SETS),
                template=("order-shipped" if rnd.random() < 0.3 else None))
    roll = rnd.random()
    if roll < 0.0005:
        plan.refused = "Reject"
    elif plan.template and roll < 0.003:
        plan.refused = "Rendering Failure"
    count = 1 if rnd.random() < 0.8 else rnd.choice([2, 3])
    for _ in range(count):
        fate = Fate(address=address(rnd))
        roll = rnd.random()
        if roll < 0.022 * trouble:
            fate.outcome, fate.bounce = "hard", rnd.choice(HARD)
        elif roll < 0.032 * trouble:
            fate.outcome, fate.bounce = "soft", rnd.choice(SOFT)
        fate.delayed = rnd.random() < (0.5 if fate.outcome == "soft" else 0.01)
        if fate.outcome == "delivered":
            fate.opens = rnd.choice([0] * 6 + [1, 1, 2, 3])
            fate.clicks = rnd.choice([0] * 4 + [1]) if fate.opens else 0
            fate.complained = rnd.random() < 0.001 * trouble
            fate.unsubscribed = rnd.random() < 0.002 * trouble
        plan.fates.append(fate)
    return plan


def stamp(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def mail_object(rnd, plan, published):
    name, source = plan.sender
    to = [f.address for f in plan.fates]
    date = plan.sent.strftime("%a, %d %b %Y %H:%M:%S +0000")
    mail = {"timestamp": stamp(plan.sent), "source": "%s <%s>" % (name, source),
            "sourceArn": "arn:aws:ses:eu-west-1:111122223333:identity/example.org",
            "sendingAccountId": "111122223333", "messageId": plan.ses_id, "destination": to,
            "headersTruncated": False,
            "headers": [{"name": "From", "value": "%s <%s>" % (name, source)},
                        {"name": "To", "value": ", ".join(to)},
                        {"name": "Subject", "value": plan.subject},
                        {"name": "MIME-Version", "value": "1.0"},
                        {"name": "Content-Type", "value": "multipart/alternative; boundary=\"----=_Part_%d\"" % rnd.randrange(10**9)},
                        {"name": "Date", "value": date},
                        {"name": "Message-ID", "value": "<%s@eu-west-1.amazonses.com>" % plan.ses_id},
                        {"name": "List-Unsubscribe", "value": "<https://example.org/unsubscribe?u=%d>" % rnd.randrange(10**6)}],
            "commonHeaders": {"from": ["%s <%s>" % (name, source)], "date": date, "to": to,
                              "messageId": plan.ses_id, "subject": plan.subject}}
    if published:
        mail["headers"].insert(0, {"name": "X-SES-CONFIGURATION-SET", "value": plan.configuration_set})
        mail["tags"] = {"ses:operation": ["SendEmail"], "ses:configuration-set": [plan.configuration_set],
                        "ses:source-ip": ["198.51.100.%d" % rnd.randrange(1, 255)],
                        "ses:from-domain": [source.split("@")[1]], "ses:caller-identity": ["mailer"],
                        "campaign": ["spring-%d" % rnd.randrange(4)]}
    else:
        mail["sourceIp"] = "198.51.100.%d" % rnd.randrange(1, 255)
        mail["callerIdentity"] = "mailer"
    return mail


def record(rnd, plan, kind, key, body, may_notify=False):
    notify = may_notify and rnd.random() < 0.1
    event = {"notificationType" if notify else "eventType": kind, "mail": mail_object(rnd, plan, not notify)}
    event[key] = body
    return event


def events_of(rnd, plan):
    """Every event SES publishes about the message in `plan`, in the order they happen."""
    at = plan.sent
    later = lambda seconds: at + timedelta(seconds=seconds, milliseconds=rnd.randrange(1000))
    yield record(rnd, plan, "Send", "send", {})
    if plan.refused == "Reject":
        yield record(rnd, plan, "Reject", "reject", {"reason": "Bad content"})
        return
    if plan.refused == "Rendering Failure":
        yield record(rnd, plan, "Rendering Failure", "failure",
                     {"templateName": plan.template,
                      "errorMessage": "Attribute 'firstName' is not present in the rendering data."})
        return
    mta = "b224-%d.smtp-out.eu-west-1.amazonses.com" % rnd.randrange(1, 40)
    for fate in plan.fates:
        if fate.delayed:
            delay_type, status, code = rnd.choice(DELAYS)
            yield record(rnd, plan, "DeliveryDelay", "deliveryDelay",
                         {"timestamp": stamp(later(600)), "delayType": delay_type,
                          "expirationTime": stamp(at + timedelta(hours=14)), "reportingMTA": mta,
                          "delayedRecipients": [{"emailAddress": fate.address, "status": status,
                                                 "diagnosticCode": code}]})
        if fate.outcome == "delivered":
            delivered = later(1)
            yield record(rnd, plan, "Delivery", "delivery",
                         {"timestamp": stamp(delivered), "processingTimeMillis": rnd.randrange(300, 4000),
                          "recipients": [fate.address], "smtpResponse": "250 2.0.0 OK %d - gsmtp" % rnd.randrange(10**9),
                          "reportingMTA": mta, "remoteMtaIp": "203.0.113.%d" % rnd.randrange(1, 255)}, True)
            agent, ip = rnd.choice(USER_AGENTS), "198.51.100.%d" % rnd.randrange(1, 255)
            for n in range(fate.opens):
                yield record(rnd, plan, "Open", "open",
                             {"timestamp": stamp(later(300 + 900 * n)), "ipAddress": ip, "userAgent": agent})
            for n in range(fate.clicks):
                link = rnd.choice(LINKS)
                yield record(rnd, plan, "Click", "click",
                             {"timestamp": stamp(later(1500 + 60 * n)), "ipAddress": ip, "userAgent": agent,
                              "link": link % rnd.randrange(10**6) if "%d" in link else link,
                              "linkTags": {"section": ["body"]}})
            if fate.complained:
                complaint = {"complainedRecipients": [{"emailAddress": fate.address}],
                             "timestamp": stamp(later(7200)), "feedbackId": "0102018f%s-000000" % uuid.UUID(int=rnd.getrandbits(128)),
                             "complaintSubType": None}
                feedback = rnd.choice(FEEDBACK_TYPES)
                if feedback:
                    complaint.update(userAgent="Yahoo!-Mail-Feedback/2.0", complaintFeedbackType=feedback,
                                     arrivalDate=stamp(later(7199)))
                yield record(rnd, plan, "Complaint", "complaint", complaint, True)
            if fate.unsubscribed:
                yield record(rnd, plan, "Subscription", "subscription",
                             {"contactList": "Newsletter", "timestamp": stamp(later(3600)), "source": "UnsubscribeHeader",
                              "newTopicPreferences": {"unsubscribeAll": True, "topicSubscriptionStatus": [
                                  {"topicName": "Monthly", "subscriptionStatus": "OptOut"}]},
                              "oldTopicPreferences": {"unsubscribeAll": False, "topicSubscriptionStatus": [
                                  {"topicName": "Monthly", "subscriptionStatus": "OptIn"}]}})
        else:
            bounced = {"emailAddress": fate.address}
            if fate.outcome == "hard":
                subtype, status, code = fate.bounce
                bounce_type = "Permanent"
            else:
                bounce_type, subtype, status, code = fate.bounce
            if status:
                bounced.update(action="failed", status=status, diagnosticCode=code.format(a=fate.address))
            bounce = {"bounceType": bounce_type, "bounceSubType": subtype, "bouncedRecipients": [bounced],
                      "timestamp": stamp(later(2 if fate.outcome == "hard" else 50000)),
                      "feedbackId": "0102018f%s-000000" % uuid.UUID(int=rnd.getrandbits(128))}
            if status and subtype not in ("Suppressed", "OnAccountSuppressionList"):
                bounce["reportingMTA"] = "dns; " + mta
                bounce["remoteMtaIp"] = "203.0.113.%d" % rnd.randrange(1, 255)
            yield record(rnd, plan, "Bounce", "bounce", bounce, True)


class Truth:
    """The known answers, gathered from the plans and the events as they are written."""

    def __init__(self):
        self.events = {}
        self.messages = 0
        self.sent, self.hard, self.soft, self.complained = set(), set(), set(), set()
        # address -> (timestamp, reason) of the latest event that suppresses it
        self.suppress = {}

    def add_plan(self, plan):
        self.messages += 1
        if plan.refused:
            return
        for fate in plan.fates:
            pair = (plan.ses_id, fate.address.lower())
            self.sent.add(pair)
            if fate.outcome == "hard" and fate.bounce[0] != "OnAccountSuppressionList":
                self.hard.add(pair)
            elif fate.outcome == "soft":
                self.soft.add(pair)
            if fate.complained:
                self.complained.add(pair)

    def add_event(self, event):
        kind = event.get("eventType") or event.get("notificationType")
        self.events[kind] = self.events.get(kind, 0) + 1
        if kind == "Bounce":
            bounce = event["bounce"]
            if bounce["bounceType"] == "Permanent" and bounce["bounceSubType"] != "OnAccountSuppressionList":
                for r in bounce["bouncedRecipients"]:
                    self.see(r["emailAddress"], bounce["timestamp"], "BOUNCE")
        elif kind == "Complaint":
            complaint = event["complaint"]
            for r in complaint["complainedRecipients"]:
                self.see(r["emailAddress"], complaint["timestamp"], "COMPLAINT")

    def see(self, address, timestamp, reason):
        address = address.lower()
        # COMPLAINT outranks BOUNCE ("COMPLAINT" > "BOUNCE"), whatever their order.
        if address not in self.suppress or (reason, timestamp) > self.suppress[address]:
            self.suppress[address] = (reason, timestamp)

    def to_json(self):
        sent = len(self.sent)
        rate = lambda n: n / sent if sent else None
        return {"events": dict(sorted(self.events.items())), "messages": self.messages, "sent": sent,
                "hard_bounces": len(self.hard), "soft_bounces": len(self.soft),
                "complaints": len(self.complained), "bounce_rate": rate(len(self.hard)),
                "complaint_rate": rate(len(self.complained)),
                "suppress": {a: reason for a, (reason, _) in sorted(self.suppress.items())}}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--count", type=int, default=1000, help="events to write (at least; a message's events stay together)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--shape", choices=["ndjson", "sns"], default="ndjson")
    p.add_argument("--truth", metavar="FILE", help="write the known answers to FILE as JSON")
    p.add_argument("--trouble", type=float, default=1.0,
                   help="multiply the chances of bounces and complaints (default 1)")
    a = p.parse_args()
    rnd = random.Random(a.seed)
    t0 = datetime(2026, 3, 2, 8, 0, 0, tzinfo=timezone.utc)
    out = sys.stdout
    truth = Truth() if a.truth else None
    written, i = 0, 0
    while written < a.count:
        plan = plan_message(rnd, t0, i, a.trouble)
        i += 1
        if truth:
            truth.add_plan(plan)
        for event in events_of(rnd, plan):
            if truth:
                truth.add_event(event)
            text = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
            if a.shape == "sns":
                text = json.dumps({"Type": "Notification", "MessageId": str(uuid.UUID(int=rnd.getrandbits(128))),
                                   "TopicArn": "arn:aws:sns:eu-west-1:111122223333:ses-events",
                                   "Subject": "Amazon SES Email Event Notification", "Message": text + "\n",
                                   "Timestamp": stamp(plan.sent), "SignatureVersion": "1", "Signature": "EXAMPLE",
                                   "SigningCertURL": "https://sns.eu-west-1.amazonaws.com/EXAMPLE.pem",
                                   "UnsubscribeURL": "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe"},
                                  separators=(",", ":"))
            out.write(text + "\n")
            written += 1
    if truth:
        with open(a.truth, "w", encoding="utf-8") as f:
            json.dump(truth.to_json(), f, ensure_ascii=False, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
