//! Strict reading: broken JSON is an error with its place and never repaired, a Python repr is
//! read only when the text is one, and a field of the wrong type is never read as a value.

use crate::harness::run_with_stdin;

const RECORD: &str = r#"{"eventSource":"aws:ses","ses":{"mail":{"messageId":"m1"},"receipt":{"spfVerdict":{"status":"PASS"}}}}"#;

/// `fields -F ses_id` on `stdin`: (exit code, stdout, stderr).
fn ses_ids(stdin: &str) -> (i32, String, String) {
    run_with_stdin(&["fields", "-F", "ses_id"], stdin.as_bytes().to_vec())
}

#[test]
fn many_commas_are_an_error_not_a_crash() {
    let commas = ",".repeat(500);
    let (code, stdout, stderr) = ses_ids(&format!("{{\"a\":1{commas}}}\n{RECORD}\n"));
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(stdout, "m1\n");
    assert!(stderr.contains("<stdin>:1:"), "{stderr}");
    let inside = format!(
        "{{\"Records\":[{{\"eventSource\":\"aws:ses\",\"ses\":{{\"mail\":{{\"messageId\":\"m2\"{commas}}},\"receipt\":{{}}}}}}]}}\n{RECORD}\n"
    );
    let (code, stdout, stderr) = ses_ids(&inside);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(stdout, "m1\n");
}

#[test]
fn broken_json_is_never_repaired() {
    let trailing = r#"{"eventSource":"aws:ses","ses":{"mail":{"messageId":"m2"},"receipt":{},}}"#;
    let doubled = r#"{"mail":{"messageId":"m3",,"source":"a"},"receipt":{}}"#;
    for broken in [trailing, doubled] {
        let (code, stdout, stderr) = ses_ids(&format!("{broken}\n{RECORD}\n"));
        assert_eq!(code, 2, "{broken}: {stderr}");
        assert_eq!(stdout, "m1\n", "{broken}");
        assert!(stderr.starts_with("sesinspect: <stdin>:1:"), "{stderr}");
    }
}

#[test]
fn a_python_repr_still_reads() {
    let repr = "{'Records': [{'eventSource': 'aws:ses', 'ses': {'mail': {'messageId': 'p1', 'headersTruncated': False}, 'receipt': {'spfVerdict': {'status': 'PASS'}, 'dmarcPolicy': None}}}]}";
    let (code, stdout, stderr) = ses_ids(&format!("{repr}\n"));
    assert_eq!((code, stdout.as_str()), (0, "p1\n"), "{stderr}");
    let broken_repr = "{'Records': [{'eventSource': 'aws:ses', 'ses': {'mail': {'messageId': 'p1',}, 'receipt': {}}}]}";
    let (code, stdout, _) = ses_ids(&format!("{broken_repr}\n"));
    assert_eq!((code, stdout.as_str()), (2, ""));
}
