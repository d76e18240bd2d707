#!/usr/bin/env bash
# A throwaway OCI registry for tests and demos: Debian's docker-registry (the distribution registry)
# on 127.0.0.1, a free port, storage in a temp directory.
#
#   scripts/registry.sh start plain      plain HTTP, no auth
#   scripts/registry.sh start tls-auth   TLS (a CA and a server certificate for 127.0.0.1/localhost,
#                                        made with openssl) and htpasswd basic auth (bcrypt, htpasswd -B)
#   scripts/registry.sh start tls-token  TLS and the registry's token authentication: a small token
#                                        server (python3 + openssl, below) answers the Bearer challenge
#                                        with RS256 JWTs for one user; anonymous clients get no access
#   scripts/registry.sh stop DIR         stops the registry (and token server) started in DIR, removes DIR
#
# `start` prints KEY=VALUE lines (eval-able): DIR, PORT, HOST (127.0.0.1:PORT), PID, LOG, and for
# tls-auth/tls-token CA (the CA certificate to trust), USERNAME, PASSWORD (tls-token also TOKEN_LOG).
# Exit 3 when docker-registry (package docker-registry) or, for tls-auth, htpasswd (apache2-utils) or
# openssl (or python3 for tls-token) is missing.
set -euo pipefail

REGISTRY_BIN=${REGISTRY_BIN:-/usr/bin/docker-registry}

die() { echo "registry.sh: $*" >&2; exit "${2:-1}"; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_ready() {  # url, pid, extra curl args...
  local url=$1 pid=$2; shift 2
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 1
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' "$@" "$url" || true)
    [ "$code" = 200 ] || [ "$code" = 401 ] && return 0
    sleep 0.1
  done
  return 1
}

make_tls() {  # dir
  local d=$1
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=customs test CA" -keyout "$d/ca.key" -out "$d/ca.crt" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
    >"$d/server.ext"
  openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 2 \
    -extfile "$d/server.ext" -out "$d/server.crt" 2>/dev/null
}

# A minimal token server after distribution's token authentication spec: GET /token?service=&scope=
# with optional basic credentials; the JWT (RS256, x5c = the issuer certificate the registry trusts)
# grants the requested actions to the one user, nothing to anonymous clients; 401 for a wrong password.
write_token_server() {
  cat >"$1" <<'PY'
import base64, http.server, json, os, ssl, subprocess, sys, time, urllib.parse
d, port, user = sys.argv[1], int(sys.argv[2]), sys.argv[3]
password = open(os.path.join(d, "password")).read()
der = subprocess.run(["openssl", "x509", "-in", os.path.join(d, "token.crt"), "-outform", "DER"],
                     check=True, capture_output=True).stdout
def b64(b): return base64.urlsafe_b64encode(b).rstrip(b"=").decode()
def sign(data):
    return subprocess.run(["openssl", "dgst", "-sha256", "-sign", os.path.join(d, "token.key")], input=data,
                          check=True, capture_output=True).stdout
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):  # the query only: never the Authorization header
        sys.stderr.write("token: " + (fmt % args) + "\n"); sys.stderr.flush()
    def do_GET(self):
        u = urllib.parse.urlparse(self.path)
        if u.path != "/token":
            self.send_response(404); self.end_headers(); return
        q = urllib.parse.parse_qs(u.query)
        who = ""
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            try:
                name, _, pw = base64.b64decode(auth[6:]).decode().partition(":")
            except Exception:
                name, pw = "", None
            if name != user or pw != password:
                self.send_response(401); self.send_header("Content-Type", "application/json"); self.end_headers()
                self.wfile.write(b'{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]}'); return
            who = name
        access = []
        for scope in q.get("scope", []):
            parts = scope.split(":")
            if len(parts) >= 3 and parts[0] == "repository" and who:
                access.append({"type": "repository", "name": ":".join(parts[1:-1]), "actions": parts[-1].split(",")})
        now = int(time.time())
        header = {"typ": "JWT", "alg": "RS256", "x5c": [base64.b64encode(der).decode()]}
        claims = {"iss": "customs-test-issuer", "sub": who, "aud": q.get("service", [""])[0], "exp": now + 300,
                  "nbf": now - 10, "iat": now, "jti": b64(os.urandom(12)), "access": access}
        signing_input = (b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())).encode()
        token = signing_input.decode() + "." + b64(sign(signing_input))
        body = json.dumps({"token": token, "expires_in": 300}).encode()
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(os.path.join(d, "server.crt"), os.path.join(d, "server.key"))
srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), H)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.serve_forever()
PY
}

start() {
  local mode=${1:-plain}
  [ -x "$REGISTRY_BIN" ] || die "docker-registry is not installed (apt-get install docker-registry)" 3
  case $mode in
    plain) ;;
    tls-auth)
      command -v htpasswd >/dev/null || die "htpasswd is not installed (apt-get install apache2-utils)" 3
      command -v openssl >/dev/null || die "openssl is not installed" 3
      ;;
    tls-token)
      command -v openssl >/dev/null || die "openssl is not installed" 3
      command -v python3 >/dev/null || die "python3 is not installed" 3
      ;;
    *) die "unknown mode '$mode' (plain, tls-auth or tls-token)" 2 ;;
  esac
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/customs-registry.XXXXXX")
  mkdir -p "$dir/storage"
  local scheme=http curl_args=() user="" password=""
  local token_port=""
  if [ "$mode" = tls-auth ] || [ "$mode" = tls-token ]; then
    make_tls "$dir"
    user=customs
    password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    printf '%s' "$password" >"$dir/password"
    chmod 600 "$dir/password"
    scheme=https
    curl_args=(--cacert "$dir/ca.crt")
  fi
  if [ "$mode" = tls-auth ]; then
    htpasswd -B -b -c "$dir/htpasswd" "$user" "$password" 2>/dev/null
  fi
  if [ "$mode" = tls-token ]; then
    # The token signing key and its self-signed certificate (the registry's rootcertbundle).
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=customs test token issuer" \
      -keyout "$dir/token.key" -out "$dir/token.crt" 2>/dev/null
    write_token_server "$dir/token_server.py"
    local tpid
    for _ in 1 2 3 4 5; do
      token_port=$(free_port)
      setsid python3 "$dir/token_server.py" "$dir" "$token_port" "$user" >"$dir/token.log" 2>&1 </dev/null &
      tpid=$!
      echo "$tpid" >"$dir/token.pid"
      if wait_ready "https://127.0.0.1:$token_port/token" "$tpid" "${curl_args[@]}"; then break; fi
      kill "$tpid" 2>/dev/null || true
      token_port=""
    done
    [ -n "$token_port" ] || { cat "$dir/token.log" >&2; rm -rf "$dir"; die "the token server did not start" 1; }
  fi
  local port pid attempt
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    {
      echo "version: 0.1"
      echo "log:"
      echo "  level: info"
      echo "  formatter: text"
      echo "  accesslog:"
      echo "    disabled: false"
      echo "storage:"
      echo "  filesystem:"
      echo "    rootdirectory: $dir/storage"
      echo "  delete:"
      echo "    enabled: true"
      echo "  maintenance:"
      echo "    uploadpurging:"
      echo "      enabled: false"
      echo "http:"
      echo "  addr: 127.0.0.1:$port"
      echo "  secret: $(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
      if [ "$mode" != plain ]; then
        echo "  tls:"
        echo "    certificate: $dir/server.crt"
        echo "    key: $dir/server.key"
      fi
      if [ "$mode" = tls-auth ]; then
        echo "auth:"
        echo "  htpasswd:"
        echo "    realm: customs-test"
        echo "    path: $dir/htpasswd"
      fi
      if [ "$mode" = tls-token ]; then
        echo "auth:"
        echo "  token:"
        echo "    realm: https://127.0.0.1:$token_port/token"
        echo "    service: customs-test-registry"
        echo "    issuer: customs-test-issuer"
        echo "    rootcertbundle: $dir/token.crt"
      fi
    } >"$dir/config.yml"
    # setsid: the registry outlives this script, in its own session.
    setsid "$REGISTRY_BIN" serve "$dir/config.yml" >"$dir/registry.log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$dir/pid"
    if wait_ready "$scheme://127.0.0.1:$port/v2/" "$pid" "${curl_args[@]}"; then
      echo "DIR=$dir"
      echo "PORT=$port"
      echo "HOST=127.0.0.1:$port"
      echo "PID=$pid"
      echo "LOG=$dir/registry.log"
      if [ "$mode" != plain ]; then
        echo "CA=$dir/ca.crt"
        echo "USERNAME=$user"
        echo "PASSWORD=$password"
      fi
      if [ "$mode" = tls-token ]; then echo "TOKEN_LOG=$dir/token.log"; fi
      return 0
    fi
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  [ ! -f "$dir/token.pid" ] || kill "$(cat "$dir/token.pid")" 2>/dev/null || true
  echo "registry.sh: docker-registry did not start; its log:" >&2
  cat "$dir/registry.log" >&2 || true
  rm -rf "$dir"
  exit 1
}

stop() {
  local dir=${1:?usage: registry.sh stop DIR}
  [ -f "$dir/pid" ] || die "$dir: no registry started there" 2
  local pid
  if [ -f "$dir/token.pid" ]; then kill "$(cat "$dir/token.pid")" 2>/dev/null || true; fi
  pid=$(cat "$dir/pid")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  case $dir in
    */customs-registry.*) rm -rf "$dir" ;;
    *) die "$dir: not a directory this script made; not removed" 1 ;;
  esac
}

case ${1:-} in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) die "usage: registry.sh start plain|tls-auth|tls-token | stop DIR" 2 ;;
esac
