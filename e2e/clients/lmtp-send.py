"""Sends one message with python's smtplib.LMTP and prints every reply as JSON.

smtplib.LMTP.sendmail() reads a single reply after the data, so this drives the commands itself:
LHLO, MAIL, one RCPT per recipient, DATA, then one reply per accepted recipient (RFC 2033 section 4.2).
Usage: lmtp-send.py PORT FROM TO [TO...]
"""
import json
import smtplib
import sys

port, sender, recipients = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
lmtp = smtplib.LMTP("127.0.0.1", port)
# smtplib.LMTP sends LHLO for ehlo() (its ehlo_msg is "lhlo").
out = {"lhlo": lmtp.ehlo("lmtp.e2e.test")[0], "rcpt": [], "data": []}
lmtp.mail(sender)
accepted = []
for rcpt in recipients:
    code, text = lmtp.rcpt(rcpt)
    out["rcpt"].append([code, text.decode()])
    if code == 250:
        accepted.append(rcpt)
message = b"Subject: lmtp e2e\r\n\r\nper-recipient replies\r\n"
code, text = lmtp.data(message)
out["data"].append([accepted[0], code, text.decode()])
for rcpt in accepted[1:]:
    code, text = lmtp.getreply()
    out["data"].append([rcpt, code, text.decode()])
out["ehlo"] = lmtp.docmd("EHLO", "lmtp.e2e.test")[0]
lmtp.quit()
print(json.dumps(out))
