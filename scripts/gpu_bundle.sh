#!/usr/bin/env bash
# Build .gpu/ here, for scripts/gpu_check.sh on a GPU machine that has Python 3.12 and torch but no internet and
# not this project's other packages: wheels of every package in .venv that such a machine lacks (--no-deps, for
# CPython 3.12), the shared libraries WeasyPrint loads (Pango and what it links, from this machine), and the report's
# font (DejaVu). Usage: scripts/gpu_bundle.sh [LIST]; LIST holds the machine's package names, one per line or
# comma-separated (default: the device README's list, saved in scripts/gpu_packages.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
have=${1:-scripts/gpu_packages.txt}
norm() { tr 'A-Z_' 'a-z-'; }
rm -rf .gpu && mkdir -p .gpu/whl .gpu/lib .gpu/fonts
known=$(tr ',' '\n' <"$have" | sed 's/ //g' | norm | sort -u)
.venv/bin/python -m pip list --format=freeze 2>/dev/null | while IFS== read -r name _ version; do
  key=$(echo "$name" | norm)
  case "$key" in genlab|ruff|pypdf|pytest|snakemake-executor-plugin-slurm*) continue ;; esac
  grep -qx "$key" <<<"$known" && continue
  .venv/bin/python -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
    --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 --platform manylinux_2_24_x86_64 \
    --platform manylinux_2_28_x86_64 --platform manylinux_2_5_x86_64 --platform manylinux1_x86_64 \
    -d .gpu/whl "$name==$version" >/dev/null 2>&1 \
    || .venv/bin/python -m pip wheel -q --no-deps -w .gpu/whl "$name==$version" >/dev/null  # sdist-only, pure Python
done
# WeasyPrint's libraries and everything they link, except the C library itself; gpu_check.sh links only the
# ones the GPU machine lacks into its library path
libs=$(ldd /usr/lib/x86_64-linux-gnu/libpangoft2-1.0.so.0 /usr/lib/x86_64-linux-gnu/libpango-1.0.so.0 \
  /usr/lib/x86_64-linux-gnu/libharfbuzz.so.0 /usr/lib/x86_64-linux-gnu/libfontconfig.so.1 | awk '/=>/{print $3}' | sort -u)
for lib in $libs /usr/lib/x86_64-linux-gnu/libpangoft2-1.0.so.0 /usr/lib/x86_64-linux-gnu/libpango-1.0.so.0; do
  case "$(basename "$lib")" in libc.so.*|libm.so.*) continue ;; esac
  cp -L "$lib" .gpu/lib/
done
cp /usr/share/fonts/truetype/dejavu/DejaVuSans*.ttf .gpu/fonts/
cat > .gpu/fonts.conf <<'CONF'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir prefix="relative">fonts</dir><cachedir>/tmp/fontconfig-cache</cachedir></fontconfig>
CONF
du -sh .gpu/*
