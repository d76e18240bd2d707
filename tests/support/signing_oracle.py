#!/usr/bin/python3
"""Cosign key format oracle for the signing tests, written from the format's description and independent of
customs: scrypt (hashlib), NaCl secretbox (PyNaCl), EC keys and ECDSA (python3-cryptography).

  signing_oracle.py write-key PREFIX [LABEL]   writes PREFIX.key (encrypted, cosign's JSON in PEM) and PREFIX.pub
  signing_oracle.py read-key KEYFILE           decrypts KEYFILE, prints its public key as PEM; exit 3 on a wrong
                                               password; prints the box's JSON fields on stderr
  signing_oracle.py verify PUBFILE DATAFILE SIG_B64   exit 0 when SIG is a valid ECDSA-SHA256 signature
The password comes from $ORACLE_PASSWORD.
"""
import base64
import hashlib
import json
import os
import sys

import nacl.exceptions
import nacl.secret
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

N, R, P = 32768, 8, 1


def derive(password, salt, n, r, p):
    return hashlib.scrypt(password, salt=salt, n=n, r=r, p=p, dklen=32, maxmem=256 * 1024 * 1024)


def pem(label, der):
    b64 = base64.b64encode(der).decode()
    lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
    return "-----BEGIN %s-----\n%s\n-----END %s-----\n" % (label, "\n".join(lines), label)


def unpem(text):
    lines = text.strip().splitlines()
    assert lines[0].startswith("-----BEGIN ") and lines[-1].startswith("-----END "), "not PEM"
    return lines[0][len("-----BEGIN "):-5], base64.b64decode("".join(lines[1:-1]))


def write_key(prefix, label):
    password = os.environb[b"ORACLE_PASSWORD"]
    key = ec.generate_private_key(ec.SECP256R1())
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    salt = os.urandom(32)
    nonce = os.urandom(24)
    box = nacl.secret.SecretBox(derive(password, salt, N, R, P))
    sealed = box.encrypt(der, nonce).ciphertext
    doc = {
        "kdf": {"name": "scrypt", "params": {"N": N, "r": R, "p": P}, "salt": base64.b64encode(salt).decode()},
        "cipher": {"name": "nacl/secretbox", "nonce": base64.b64encode(nonce).decode()},
        "ciphertext": base64.b64encode(sealed).decode(),
    }
    with open(prefix + ".key", "w") as f:
        f.write(pem(label, json.dumps(doc).encode()))
    with open(prefix + ".pub", "w") as f:
        f.write(key.public_key().public_bytes(serialization.Encoding.PEM,
                                              serialization.PublicFormat.SubjectPublicKeyInfo).decode())


def read_key(path):
    password = os.environb[b"ORACLE_PASSWORD"]
    label, body = unpem(open(path).read())
    doc = json.loads(body)
    sys.stderr.write("label=%s kdf=%s N=%d r=%d p=%d salt=%d cipher=%s nonce=%d keys=%s\n" % (
        label, doc["kdf"]["name"], doc["kdf"]["params"]["N"], doc["kdf"]["params"]["r"], doc["kdf"]["params"]["p"],
        len(base64.b64decode(doc["kdf"]["salt"])), doc["cipher"]["name"], len(base64.b64decode(doc["cipher"]["nonce"])),
        ",".join(doc.keys())))
    prm = doc["kdf"]["params"]
    key = derive(password, base64.b64decode(doc["kdf"]["salt"]), prm["N"], prm["r"], prm["p"])
    try:
        der = nacl.secret.SecretBox(key).decrypt(base64.b64decode(doc["ciphertext"]),
                                                 base64.b64decode(doc["cipher"]["nonce"]))
    except nacl.exceptions.CryptoError:
        sys.stderr.write("wrong password\n")
        sys.exit(3)
    priv = serialization.load_der_private_key(der, password=None)
    assert isinstance(priv.curve, ec.SECP256R1), "not P-256"
    sys.stdout.write(priv.public_key().public_bytes(serialization.Encoding.PEM,
                                                    serialization.PublicFormat.SubjectPublicKeyInfo).decode())


def verify(pub_path, data_path, sig_b64):
    pub = serialization.load_pem_public_key(open(pub_path, "rb").read())
    try:
        pub.verify(base64.b64decode(sig_b64), open(data_path, "rb").read(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        sys.exit(1)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "write-key":
        write_key(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "ENCRYPTED SIGSTORE PRIVATE KEY")
    elif cmd == "read-key":
        read_key(sys.argv[2])
    elif cmd == "verify":
        verify(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit("unknown command " + cmd)
