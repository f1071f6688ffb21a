# One image recipe for every service, the gateway and the dashboard, chosen by build arguments. Build from the
# repository root (the context needs the shared props and projects):
#   docker build --build-arg SERVICE_DIR=services/Ingest --build-arg ASSEMBLY=Vigil.Ingest -t vigil/ingest:<tag> .
#   docker build --build-arg SERVICE_DIR=gateway --build-arg ASSEMBLY=Vigil.Gateway -t vigil/gateway:<tag> .
#   docker build --build-arg SERVICE_DIR=services/Scoring --build-arg ASSEMBLY=Vigil.Scoring \
#     --build-arg VARIANT=gpu -t vigil/scoring:<tag>-gpu .                                  # Scoring on an NVIDIA GPU
# Every image runs as UID 1654 (the aspnet image's "app" user) on port 8080
# with a read-only root filesystem: the only writable path a service needs is $TMPDIR (/tmp), which Kubernetes mounts
# as an emptyDir (k8s/base/service-defaults.yaml); the dashboard also writes its Data Protection key ring
# (Dashboard__KeysDirectory, a volume in k8s/base/dashboard.yaml).
# VARIANT=gpu is for Scoring only: ONNX Runtime 1.32 comes from NuGet with the service, Microsoft.ML.OnnxRuntime (cpu)
# or Microsoft.ML.OnnxRuntime.Gpu.Linux (build property OnnxRuntimeBuild=gpu), whose CUDA execution provider needs the
# CUDA 13 runtime + cuDNN 9 base below (the node needs an NVIDIA driver for CUDA 13). Other projects ignore the property.
# Only linux-x64 native libraries are published.
ARG SERVICE_DIR
ARG ASSEMBLY
ARG VARIANT=cpu
ARG DOTNET_VERSION=10.0
ARG CUDA_IMAGE=nvidia/cuda:13.0.0-cudnn-runtime-ubuntu24.04

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
ARG SERVICE_DIR
ARG ASSEMBLY
ARG VARIANT
WORKDIR /src
# Restore from the project files alone, so this layer is reused until a dependency changes. The shared libraries are
# copied for every service (a service that does not reference Tabular or DirectFiles does not build it).
COPY Directory.Build.props Directory.Packages.props ./
COPY services/BatchComputeRuntime.props services/
COPY ServiceDefaults/Vigil.ServiceDefaults.csproj ServiceDefaults/
COPY services/Contracts/Vigil.Contracts.csproj services/Contracts/
COPY services/Tabular/Vigil.Tabular.csproj services/Tabular/
COPY services/DirectFiles/Vigil.DirectFiles.csproj services/DirectFiles/
COPY ${SERVICE_DIR}/${ASSEMBLY}.csproj ${SERVICE_DIR}/
RUN dotnet restore ${SERVICE_DIR}/${ASSEMBLY}.csproj --runtime linux-x64 /p:OnnxRuntimeBuild=${VARIANT}
COPY ServiceDefaults/ ServiceDefaults/
COPY services/Contracts/ services/Contracts/
COPY services/Tabular/ services/Tabular/
COPY services/DirectFiles/ services/DirectFiles/
COPY ${SERVICE_DIR}/ ${SERVICE_DIR}/
RUN dotnet publish ${SERVICE_DIR}/${ASSEMBLY}.csproj --configuration Release --no-restore --runtime linux-x64 --self-contained false --output /app /p:UseAppHost=false /p:OnnxRuntimeBuild=${VARIANT}

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS aspnet

FROM aspnet AS runtime-cpu

# Scoring's GPU stage: the CUDA runtime base with the ASP.NET Core runtime copied in from the aspnet image (both
# Ubuntu 24.04), and the same "app" user (UID 1654) the aspnet image has.
FROM ${CUDA_IMAGE} AS runtime-gpu
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates libssl3t64 tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 1654 app \
 && useradd --uid 1654 --gid app --create-home --shell /bin/false app
COPY --from=aspnet /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
ENV APP_UID=1654 \
    DOTNET_RUNNING_IN_CONTAINER=true

FROM runtime-${VARIANT} AS final
ARG ASSEMBLY
WORKDIR /app
# Owned by root and not writable by the app user.
COPY --from=build /app .
ENV ASPNETCORE_HTTP_PORTS=8080 \
    TMPDIR=/tmp \
    VIGIL_ASSEMBLY=${ASSEMBLY}
EXPOSE 8080
USER 1654
# Kubernetes probes /alive (liveness) and /health (readiness) itself; this serves docker run and compose.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "GET /alive HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n" >&3 && head -n 1 <&3 | grep -q " 200 "'
# The exec form cannot name a build argument, so a shell picks the assembly and is replaced by dotnet (PID 1, signals).
ENTRYPOINT ["/bin/sh", "-c", "exec dotnet \"/app/${VIGIL_ASSEMBLY}.dll\""]
