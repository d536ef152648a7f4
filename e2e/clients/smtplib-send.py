"""Sends one message with Python's smtplib and prints, as one JSON object, what smtplib reported.

Usage: python3 smtplib-send.py <port> <from> <to>
Output: {"ok": true, "refused": {...}} or {"ok": false, "exception": <class name>, ...details}.
"""
import json
import smtplib
import sys


def main() -> None:
    port, sender, rcpt = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    message = f"From: {sender}\r\nTo: {rcpt}\r\nSubject: smtplib e2e\r\n\r\nsent by smtplib\r\n"
    out: dict = {}
    try:
        with smtplib.SMTP("127.0.0.1", port, local_hostname="client.e2e.test", timeout=10) as smtp:
            refused = smtp.sendmail(sender, [rcpt], message)
            out = {"ok": True, "refused": {k: [c, m.decode()] for k, (c, m) in refused.items()}}
    except smtplib.SMTPRecipientsRefused as e:
        out = {
            "ok": False,
            "exception": type(e).__name__,
            "recipients": {k: [c, m.decode()] for k, (c, m) in e.recipients.items()},
        }
    except smtplib.SMTPResponseException as e:
        out = {"ok": False, "exception": type(e).__name__, "code": e.smtp_code, "error": e.smtp_error.decode()}
    except Exception as e:  # noqa: BLE001 - reported, not handled
        out = {"ok": False, "exception": type(e).__name__, "message": str(e)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
