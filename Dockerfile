# OC Lettings: multi-stage image.
#
# Stage "build" compiles the server on Debian 12 with the packages listed in
# packages/debian.txt, then gathers a minimal root file system in /stage: the
# binary, exactly the shared libraries it loads, the dynamic loader, CA
# certificates, time zone data and an unprivileged user (uid 10001).
# The final stage starts FROM scratch with only that root file system.
#
# Build:  docker build -t oc-lettings .
# Local base image without a registry (see scripts/image/make-base-image.sh):
#         podman build --build-arg BASE_IMAGE=localhost/ocl-base/debian:bookworm .
# Behind a TLS-intercepting proxy, mount its CA bundle into the build and name
# it with --build-arg NODE_EXTRA_CA_CERTS=/path/in/build (used by npm only).

ARG BASE_IMAGE=debian:bookworm-slim
# The version the build reports (--version, footer, SENTRY_RELEASE, image label): the project's
# own by default; the pipeline passes its tag, 0.1.<CircleCI build number>.
ARG OCL_VERSION=0.1.0

FROM ${BASE_IMAGE} AS build

ENV DEBIAN_FRONTEND=noninteractive \
    LANG=C.UTF-8 \
    CCACHE_DIR=/var/cache/ccache \
    CCACHE_MAXSIZE=500M

SHELL ["/bin/bash", "-o", "pipefail", "-c"]

WORKDIR /src

# Toolchain and libraries: the project's Debian package list, comments stripped,
# plus Node.js/npm (front-end packages), tzdata and binutils.
COPY packages/debian.txt packages/debian.txt
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \
    rm -f /etc/apt/apt.conf.d/docker-clean \
    && apt-get update \
    && sed -e 's/#.*//' -e 's/[[:space:]]//g' packages/debian.txt | grep -v '^$' \
       | xargs apt-get install -y --no-install-recommends nodejs npm tzdata binutils

# Front-end packages (Bootstrap) from npm, in their own layer.
ARG NODE_EXTRA_CA_CERTS=
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --no-audit --no-fund --loglevel=error

COPY . .

ARG OCL_VERSION
RUN --mount=type=cache,target=/var/cache/ccache,sharing=locked \
    cmake --preset release -DOCL_BUILD_TESTS=OFF -DOCL_BUILD_BENCHMARKS=OFF "-DOCL_VERSION=${OCL_VERSION}" \
    && cmake --build --preset release \
    && ccache --show-stats

# Minimal root file system for the runtime stage.
RUN set -eux; \
    stage=/stage; \
    multiarch="$(gcc -print-multiarch)"; \
    mkdir -p "$stage/usr/lib/$multiarch" "$stage/usr/lib64" "$stage/etc/ssl/certs" \
             "$stage/usr/share" "$stage/app/fixtures" "$stage/tmp" "$stage/data"; \
    ln -s usr/lib "$stage/lib"; \
    ln -s usr/lib64 "$stage/lib64"; \
    chmod 1777 "$stage/tmp"; \
    # Not stripped: its compressed line tables (about 5 MB) let error reports name files and lines.
    install -m 0755 build/release/oc-lettings "$stage/app/oc-lettings"; \
    cp -a static "$stage/app/static"; \
    rm -f "$stage/app/static/vendor/.stamp"; \
    install -m 0644 fixtures/demo.json "$stage/app/fixtures/demo.json"; \
    # Shared libraries reported by ldd, plus the dynamic loader, each copied
    # (symlinks resolved) to its canonical merged-/usr directory under its soname.
    ldd build/release/oc-lettings | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' \
      | sort -u > /tmp/libs.txt; \
    cat /tmp/libs.txt; \
    while read -r lib; do \
      dest="$stage$(readlink -f "$(dirname "$lib")")"; \
      mkdir -p "$dest"; \
      cp -L "$lib" "$dest/$(basename "$lib")"; \
    done < /tmp/libs.txt; \
    ldconfig -r "$stage"; \
    cp -L /etc/ssl/certs/ca-certificates.crt "$stage/etc/ssl/certs/ca-certificates.crt"; \
    cp -a /usr/share/zoneinfo "$stage/usr/share/zoneinfo"; \
    ln -s /usr/share/zoneinfo/Etc/UTC "$stage/etc/localtime"; \
    echo "Etc/UTC" > "$stage/etc/timezone"; \
    printf '%s\n' \
      'root:x:0:0:root:/root:/sbin/nologin' \
      'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin' \
      'ocl:x:10001:10001:OC Lettings:/app:/sbin/nologin' > "$stage/etc/passwd"; \
    printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' 'ocl:x:10001:' > "$stage/etc/group"; \
    printf '%s\n' 'passwd: files' 'group: files' 'hosts: files dns' > "$stage/etc/nsswitch.conf"; \
    chown 10001:10001 "$stage/data"; \
    chmod 0750 "$stage/data"; \
    # The image must start: run the binary against the staged root only.
    chroot "$stage" /app/oc-lettings --version; \
    du -sh "$stage"

FROM scratch AS runtime

ARG OCL_VERSION
LABEL org.opencontainers.image.title="OC Lettings" \
      org.opencontainers.image.version="${OCL_VERSION}"

COPY --from=build /stage/ /

ENV HOST=0.0.0.0 \
    PORT=8000 \
    DATABASE_URL=sqlite:////data/oc-lettings-site.sqlite3 \
    STATIC_ROOT=/app/static \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    TZ=Etc/UTC

WORKDIR /app
VOLUME ["/data"]
USER 10001:10001
EXPOSE 8000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["/app/oc-lettings", "healthcheck"]

ENTRYPOINT ["/app/oc-lettings"]
CMD ["serve", "--migrate", "--demo", "/app/fixtures/demo.json"]
