#!/usr/bin/env bash
# The system packages the tests need: Debian's chromium (browser tests), CJK fonts (Chinese pages,
# documents) and a Java runtime (the engine's Spark tests). Installed through apt-get when missing and
# running as root; otherwise say what to install.
set -euo pipefail
needed=()
command -v chromium >/dev/null 2>&1 || needed+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || needed+=(fonts-noto-cjk)
command -v msgfmt >/dev/null 2>&1 || needed+=(gettext)
command -v java >/dev/null 2>&1 || needed+=(default-jre-headless)
if [ ${#needed[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${needed[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
else
  echo "缺少系统软件包 / missing system packages: ${needed[*]}" >&2
  echo "请以 root 运行 / as root run: apt-get install ${needed[*]}" >&2
  exit 1
fi
