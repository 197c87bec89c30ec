#!/usr/bin/env python3
"""Writes the malformed-mail corpus (*.eml) byte for byte. The .eml files are committed; run this
only to change them. Each mail that has headers carries Message-ID <hostile-NN@corpus.test> and
comes from its own address, so a test can find what became of it and no sender limit applies."""
import base64, pathlib

here = pathlib.Path(__file__).parent
CRLF = b"\r\n"

def head(n, subject=None, extra=(), from_=True, ctype=b'text/plain; charset="utf-8"', cte=b"7bit"):
    h = []
    if from_:
        h.append(b"From: Hostile %02d <hostile-%02d@corpus.test>" % (n, n))
    h.append(b"To: support@test.local")
    if subject is not None:
        h.append(b"Subject: " + subject)
    h.append(b"Date: Mon, 23 Nov 2026 09:00:00 +0800")
    h.append(b"Message-ID: <hostile-%02d@corpus.test>" % n)
    h.extend(extra)
    h.append(b"MIME-Version: 1.0")
    if ctype is not None:
        h.append(b"Content-Type: " + ctype)
    if cte is not None:
        h.append(b"Content-Transfer-Encoding: " + cte)
    return CRLF.join(h) + CRLF + CRLF


def with_files(n, subject, names):
    """A multipart/mixed mail with a text part and one small file per name (Content-Disposition given raw).
    The files are no pictures: served as downloads, their names reach the Content-Disposition header."""
    b = b"hostile-boundary-%02d" % n
    out = head(n, subject, ctype=b'multipart/mixed; boundary="' + b + b'"', cte=None)
    out += b"--" + b + CRLF + b'Content-Type: text/plain; charset="utf-8"' + CRLF + CRLF
    out += b"Files with hostile names HOSTILE-%02d" % n + CRLF
    for i, disposition in enumerate(names):
        out += b"--" + b + CRLF + b"Content-Type: application/octet-stream" + CRLF + b"Content-Transfer-Encoding: base64" + CRLF
        out += b"Content-Disposition: attachment; " + disposition + CRLF + CRLF
        out += base64.b64encode(b"hostile file %02d-%d" % (n, i)) + CRLF
    out += b"--" + b + b"--" + CRLF
    return out

def rfc2231(name):
    from urllib.parse import quote
    return b"filename*=utf-8''" + quote(name, safe="").encode()

mails = {}

mails["01-no-headers"] = b"Just a body, no header at all HOSTILE-01" + CRLF + b"second line" + CRLF
mails["02-no-from"] = head(2, b"No sender HOSTILE-02", from_=False) + b"Nobody sent this HOSTILE-02" + CRLF
mails["03-from-without-address"] = (b"From: just a name, no address" + CRLF + head(3, b"Bad From HOSTILE-03", from_=False)
                                    + b"The From header has no address HOSTILE-03" + CRLF)

b = b"declared-boundary"
mails["04-broken-boundary"] = (head(4, b"Broken boundary HOSTILE-04", ctype=b'multipart/mixed; boundary="' + b + b'"', cte=None)
    + b"--other-boundary" + CRLF + b"Content-Type: text/plain" + CRLF + CRLF + b"Part under a boundary never declared HOSTILE-04" + CRLF
    + b"--" + b + CRLF + b"Content-Type: text/plain" + CRLF + CRLF + b"Unterminated part, no closing boundary HOSTILE-04" + CRLF)
mails["05-multipart-without-boundary"] = (head(5, b"No boundary HOSTILE-05", ctype=b"multipart/alternative", cte=None)
    + b"--x" + CRLF + b"Content-Type: text/plain" + CRLF + CRLF + b"multipart with no boundary parameter HOSTILE-05" + CRLF + b"--x--" + CRLF)

depth = 100
nested = b""
for i in range(depth):
    nested += b"--n%d" % i + CRLF + b'Content-Type: multipart/mixed; boundary="n%d"' % (i + 1) + CRLF + CRLF
nested += b"--n%d" % depth + CRLF + b"Content-Type: text/plain" + CRLF + CRLF + b"One hundred levels down HOSTILE-06" + CRLF + b"--n%d--" % depth + CRLF
for i in reversed(range(depth)):
    nested += b"--n%d--" % i + CRLF
mails["06-nested-multipart-100-deep"] = head(6, b"Nested 100 deep HOSTILE-06", ctype=b'multipart/mixed; boundary="n0"', cte=None) + nested

mails["07-bogus-charset"] = (head(7, b"=?x-klingon-9?B?SE9TVElMRS0wNw==?= bogus charset HOSTILE-07", ctype=b'text/plain; charset="x-klingon-9"', cte=b"8bit")
    + b"Body in a charset nobody knows HOSTILE-07 \xe4\xbd\xa0\xff\xfe" + CRLF)
mails["08-header-injection-crlf"] = (head(8, b"=?utf-8?B?" + base64.b64encode("Hi HOSTILE-08\r\nBcc: victim@evil.example\r\nX-Injected: yes".encode()) + b"?=",
    extra=[b"Reply-To: =?utf-8?B?" + base64.b64encode(b"x\r\nBcc: other@evil.example") + b"?= <hostile-08@corpus.test>"])
    + b"Encoded CR/LF in Subject and Reply-To HOSTILE-08" + CRLF)
mails["09-8bit-headers"] = (b"From: \xe9\x99\x88\xe6\x98\x8e \xc3\xff <hostile-09@corpus.test>" + CRLF
    + head(9, b"\xe8\xae\xa2\xe5\x8d\x95 raw 8-bit \xb6\xa9\xb5\xa5 header HOSTILE-09", from_=False)
    + b"Raw UTF-8 and GBK bytes in headers HOSTILE-09" + CRLF)
mails["10-invalid-base64"] = (head(10, b"Invalid base64 HOSTILE-10", cte=b"base64")
    + base64.b64encode(b"Decoded part HOSTILE-10 ")[:-2] + b"!!!@@@###$$$%%%\xff\xfe====" + CRLF + b"====AAAA=B" + CRLF)
mails["11-invalid-quoted-printable"] = (head(11, b"Invalid QP HOSTILE-11", cte=b"quoted-printable")
    + b"Bad escapes =ZZ =G1 =\xff and a lone = at the end HOSTILE-11 =" + CRLF + b"=E4=BD=A0=E5=A5" + CRLF)
long_subject = b"Huge header HOSTILE-12 " + b" ".join(b"word%05d" % i for i in range(30000))
folded = CRLF.join(b" " + long_subject[i:i + 900] if i else long_subject[i:i + 900] for i in range(0, len(long_subject), 900))
mails["12-huge-header"] = head(12, folded, extra=[b"X-Junk-%04d: %s" % (i, b"j" * 200) for i in range(1000)]) + b"A mail with 200 KB of subject and 1000 junk headers HOSTILE-12" + CRLF
mails["13-gb2312-invalid-bytes"] = (head(13, b"=?gb2312?B?" + base64.b64encode("订单".encode("gb2312") + b"\xff\xfe\xb0") + b"?= HOSTILE-13",
    ctype=b'text/plain; charset="gb2312"', cte=b"8bit")
    + "您好，我的订单".encode("gb2312") + b"\xff\xfe\x80\x81 HOSTILE-13 \xb0" + CRLF + "谢谢".encode("gb2312") + b"\xa1" + CRLF)
mails["14-invalid-utf8"] = (head(14, b"Invalid UTF-8 \xc0\xaf\xed\xa0\x80 HOSTILE-14", cte=b"8bit")
    + b"Overlong \xc0\xaf \xe0\x80\xaf, lone continuation \x80\xbf, surrogate \xed\xa0\x80, beyond \xf4\x90\x80\x80 \xf5\xff, cut \xe4\xbd HOSTILE-14" + CRLF)
mails["15-attachment-path-traversal"] = with_files(15, b"Traversal names HOSTILE-15", [
    b'filename="../../../../etc/passwd"', b'filename="..\\\\..\\\\..\\\\windows\\\\win.ini"', b'filename="....//....//escape.png"',
    rfc2231("../../../../../tmp/hostile-15-written.png")])
mails["16-attachment-absolute-paths"] = with_files(16, b"Absolute names HOSTILE-16", [
    b'filename="/etc/cron.d/hostile"', b'filename="C:\\\\Windows\\\\System32\\\\hostile.dll"', b'filename="\\\\\\\\server\\\\share\\\\hostile.png"',
    rfc2231("/tmp/hostile-16-absolute.png")])
mails["17-attachment-nul-and-control"] = with_files(17, b"NUL names HOSTILE-17", [
    rfc2231("evil\x00.png.exe"), rfc2231("line\r\nContent-Type: text/html\r\n\r\n<script>alert(1)</script>.png"), rfc2231("\x00")])
mails["18-attachment-windows-reserved"] = with_files(18, b"Reserved names HOSTILE-18", [
    b'filename="CON"', b'filename="PRN.txt"', b'filename="aux.png"', b'filename="NUL"', b'filename="COM1.pdf"', b'filename="LPT9"'])
mails["19-attachment-rtl-override"] = with_files(19, b"RTL names HOSTILE-19", [
    rfc2231("invoice\u202egnp.exe"), rfc2231("\u202b\u0627\u0644\u0641\u0627\u062a\u0648\u0631\u0629\u202c\u200b.png")])
mails["20-attachment-300-char-name"] = with_files(20, b"Long names HOSTILE-20", [
    b'filename="' + b"a" * 296 + b'.png"', rfc2231("长" * 300 + ".png")])
mails["21-attachment-xss-name"] = with_files(21, b"XSS names HOSTILE-21", [
    rfc2231("<img src=x onerror=window.__xss=21>.png"), rfc2231('"><script>alert(21)</script>.png')])
mails["22-html-script-body"] = (head(22, b"HTML body HOSTILE-22", ctype=b'text/html; charset="utf-8"', cte=b"8bit")
    + b"<html><body><p>HTML body HOSTILE-22</p><script>window.__xss=22</script><img src=x onerror=alert(22)>"
    + b"<a href=\"javascript:alert(22)\">link</a><iframe srcdoc=\"<script>parent.__xss=22</script>\"></iframe>"
    + b"<svg onload=alert(22)></svg><style>body{background:url(javascript:alert(22))}</style></body></html>" + CRLF)
mails["23-bare-lf-and-garbage"] = (b"From: Hostile 23 <hostile-23@corpus.test>\nSubject: Bare LF HOSTILE-23\nMessage-ID: <hostile-23@corpus.test>\n"
    + b"Content-Type: text/plain; charset=utf-8\n\x01\x02 not a header line at all\n\nBare LF line ends HOSTILE-23\n")
mails["24-duplicate-conflicting-headers"] = (head(24, b"First subject HOSTILE-24", extra=[b"Subject: Second subject", b"From: second@evil.example",
    b"Content-Type: text/html", b"Content-Transfer-Encoding: base64"]) + b"Two of every header HOSTILE-24" + CRLF)
mails["25-from-with-unclosed-comment"] = (b"From: \xe9\x99\x88 (unclosed comment <hostile-25@corpus.test>" + CRLF
    + head(25, b"Unclosed comment in From HOSTILE-25", from_=False) + b"The From header never closes its comment HOSTILE-25" + CRLF)
mails["26-nul-in-text"] = (head(26, b"=?utf-8?B?" + base64.b64encode(b"NUL\x00in subject HOSTILE-26") + b"?=",
    extra=[b"From: =?utf-8?B?" + base64.b64encode(b"Nul\x00Name") + b"?= <hostile-26@corpus.test>"], from_=False, cte=b"base64")
    + base64.b64encode(b"A body with NUL\x00bytes\x00 inside HOSTILE-26") + CRLF)

for name, raw in mails.items():
    (here / (name + ".eml")).write_bytes(raw)
print(len(mails), "mails")
