# syntax=docker/dockerfile:1
# The silo image. Build from the repository root:
#   docker build -t llm-cluster/silo:cpu  --build-arg TORCH_BACKEND=cpu  .
#   docker build -t llm-cluster/silo:cuda --build-arg TORCH_BACKEND=cuda .
# TORCH_BACKEND picks the libtorch package through Directory.Build.props' TorchBackend property:
# cpu -> TorchSharp-cpu, cuda -> TorchSharp-cuda-linux (libtorch with its CUDA libraries; the
# driver comes from the host through the NVIDIA container runtime). See docs/deploy.md.

ARG TORCH_BACKEND=cpu

FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
ARG TORCH_BACKEND
RUN case "$TORCH_BACKEND" in cpu|cuda) ;; \
      *) echo "TORCH_BACKEND must be cpu or cuda, not '$TORCH_BACKEND'" >&2; exit 1 ;; esac
WORKDIR /src
COPY . .
# The NuGet cache survives between builds (libtorch is hundreds of MB for cpu, GBs for cuda).
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet restore Silo/Silo.csproj -r linux-x64 -p:TorchBackend=$TORCH_BACKEND
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish Silo/Silo.csproj --no-restore -c Release -r linux-x64 --self-contained false \
      -p:TorchBackend=$TORCH_BACKEND -o /app
# The entry point does not depend on the Silo's assembly name: the publish folder holds exactly
# one *.runtimeconfig.json, the application's.
RUN cd /app && set -- *.runtimeconfig.json && [ "$#" -eq 1 ] && [ -f "$1" ] \
    && printf '#!/bin/sh\nexec dotnet /app/%s.dll "$@"\n' "${1%.runtimeconfig.json}" > /app/silo \
    && chmod 0755 /app/silo

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble AS runtime
ARG TORCH_BACKEND
LABEL org.opencontainers.image.title="llm-cluster silo" \
      org.opencontainers.image.description="Orleans silo serving an LLM pipeline stage (TorchSharp ${TORCH_BACKEND})"
# Read by the NVIDIA container runtime (ignored elsewhere): expose the compute libraries only.
ENV NVIDIA_DRIVER_CAPABILITIES=compute,utility \
    ASPNETCORE_URLS=http://+:8080 \
    DOTNET_gcServer=1
WORKDIR /app
COPY --from=build /app .
# http (API, /health, /ready, /metrics), Orleans silo-to-silo, Orleans client gateway.
EXPOSE 8080 11111 30000
# The aspnet image's non-root user. The process writes only under /tmp (.NET's diagnostics IPC
# and temporary files), so the container runs with a read-only root filesystem and /tmp as a
# tmpfs or emptyDir: docker run --read-only --tmpfs /tmp ..., or the k8s manifests.
USER $APP_UID
ENTRYPOINT ["/app/silo"]
