using System.Text.RegularExpressions;
using Vigil.Deployment.Tests.Support;

namespace Vigil.Deployment.Tests;

/// <summary>
/// The images cannot be built here (no Docker engine), so the one Dockerfile is read, with each project's build
/// arguments, for what makes it right: a multi-stage SDK build of the projects the service needs (and no tests, AppHost
/// or other service), an ASP.NET runtime (or, for Scoring's GPU variant, CUDA) final stage, a numeric non-root user,
/// port 8080 and a health check on /alive.
/// </summary>
public sealed class DockerfileTests
{
    private const string Sdk = "mcr.microsoft.com/dotnet/sdk:10.0";
    private const string AspNet = "mcr.microsoft.com/dotnet/aspnet:10.0";
    private static readonly Dictionary<string, string> Gpu = new() { ["VARIANT"] = "gpu" };

    /// <summary>Libraries the Dockerfile copies for every project, whether or not the project references them.</summary>
    private static readonly string[] SharedLibraries = ["ServiceDefaults", "services/Contracts", "services/Tabular", "services/DirectFiles"];

    public static TheoryData<string> Services => [.. Repository.ServiceProjects.Select(p => p.Name)];

    [Fact]
    public void Every_service_project_the_gateway_and_the_dashboard_are_built_from_the_one_dockerfile()
    {
        // At least these; a new service project needs no Dockerfile of its own.
        Assert.Superset(new HashSet<string> { "alerting", "dashboard", "gateway", "ingest", "lineage", "scoring", "validation" },
            Repository.ServiceProjects.Select(p => p.Name).ToHashSet());
        Assert.True(File.Exists(Repository.PathOf("Dockerfile")), "The shared Dockerfile at the repository root is missing.");
        Assert.All(Repository.ServiceProjects, project =>
            Assert.False(File.Exists(Repository.PathOf($"{project.Directory}/Dockerfile")), $"{project.Directory}/Dockerfile duplicates the shared one."));
        // The project is always named: SERVICE_DIR and ASSEMBLY have no default that would build some other service.
        var dockerfile = Dockerfile.Load(Repository.PathOf("Dockerfile"));
        Assert.Equal(["ASSEMBLY", "SERVICE_DIR"], dockerfile.GlobalArgs.Select(a => a.Arguments).Where(a => a is "SERVICE_DIR" or "ASSEMBLY").Order());
        Assert.DoesNotContain("SERVICE_DIR", dockerfile.GlobalArgValues().Keys);
    }

    [Theory, MemberData(nameof(Services))]
    public void Image_is_built_with_the_sdk_and_runs_on_the_aspnet_runtime(string service)
    {
        var project = Repository.Service(service);
        var dockerfile = Dockerfile.Load(project.Dockerfile);

        var build = BuildStage(dockerfile, project);
        Assert.Equal(Sdk, dockerfile.BaseImage(build, project.BuildArgs()));
        Assert.True(dockerfile.Stages.Count >= 2, "The image must be multi-stage: the SDK must not ship.");
        Assert.Equal(AspNet, dockerfile.BaseImage(dockerfile.Final, project.BuildArgs()));
        Assert.DoesNotContain(dockerfile.Chain(dockerfile.Final, project.BuildArgs()), stage => stage == build);
        var copy = Assert.Single(dockerfile.FinalImage(project.BuildArgs()), i => i.Keyword == "COPY" && i.Flag("from") == build.Name);
        Assert.Equal("/app", copy.Operands[0].TrimEnd('/'));
    }

    [Theory, MemberData(nameof(Services))]
    public void Build_stage_restores_with_the_shared_props_and_every_project_the_service_references(string service)
    {
        var project = Repository.Service(service);
        var dockerfile = Dockerfile.Load(project.Dockerfile);
        var build = BuildStage(dockerfile, project);
        var args = dockerfile.StageArgValues(build, project.BuildArgs());
        var copies = build.All("COPY").ToList();
        var copied = copies.SelectMany(c => c.Operands.SkipLast(1)).Select(s => Dockerfile.Expand(s, args).TrimEnd('/')).ToHashSet();

        Assert.Contains("Directory.Build.props", copied);
        Assert.Contains("Directory.Packages.props", copied);
        var closure = Repository.ProjectClosure(project.ProjectFile);
        Assert.Contains(project.Directory, closure);
        foreach (var directory in closure)
        {
            Assert.Contains(directory, copied);
            var projectFile = Directory.EnumerateFiles(Repository.PathOf(directory), "*.csproj").Single();
            Assert.Contains($"{directory}/{Path.GetFileName(projectFile)}", copied);
            foreach (var imported in Repository.ImportedFiles(projectFile))
                Assert.True(copied.Contains(imported), $"{directory}/{Path.GetFileName(projectFile)} imports {imported}, which is not copied for {service}.");
        }
        // Only what the service needs and the shared libraries: no other project folders (tests, AppHost, other services).
        var projectFolders = copied.Where(c => !c.EndsWith(".csproj", StringComparison.Ordinal) && !c.EndsWith(".props", StringComparison.Ordinal));
        Assert.All(projectFolders, folder => Assert.True(closure.Contains(folder) || SharedLibraries.Contains(folder), $"{folder} is copied for {service}."));

        // Restore runs on the project files alone, before the sources arrive, so that layer survives code changes.
        var instructions = build.Instructions.ToList();
        var restore = instructions.FindIndex(i => i.Keyword == "RUN" && Dockerfile.Expand(i.Arguments, args).Contains($"dotnet restore {project.ProjectFile}"));
        Assert.True(restore > 0, $"No `RUN dotnet restore {project.ProjectFile}` in the build stage.");
        Assert.All(instructions.Take(restore).Where(i => i.Keyword == "COPY").SelectMany(c => c.Operands.SkipLast(1)),
            source => Assert.Matches(@"\.(csproj|props)$", Dockerfile.Expand(source, args)));
    }

    [Theory, MemberData(nameof(Services))]
    public void Image_runs_as_a_numeric_non_root_user_on_port_8080(string service)
    {
        var project = Repository.Service(service);
        var dockerfile = Dockerfile.Load(project.Dockerfile);
        foreach (var buildArgs in Variants(project))
        {
            var image = dockerfile.FinalImage(buildArgs);
            var environment = FinalEnvironment(dockerfile, buildArgs);
            var user = image.Last(i => i.Keyword == "USER").Operands[0].Split(':')[0];
            // Numeric, so that Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
            Assert.True(int.TryParse(user, out var uid) && uid > 0, $"USER {user} is not a numeric non-root UID.");
            Assert.Equal(KubernetesRunAsUser, uid);
            Assert.Contains(image, i => i.Keyword == "EXPOSE" && i.Operands.Contains("8080"));
            Assert.Equal("8080", environment.GetValueOrDefault("ASPNETCORE_HTTP_PORTS"));
            Assert.Equal("/tmp", environment.GetValueOrDefault("TMPDIR"));
            // The application files stay root-owned: the app user cannot change them, a read-only root filesystem is no loss.
            Assert.DoesNotContain(image, i => i.Keyword == "COPY" && i.Flag("chown") is not null);
            // The entry point runs the project's assembly, named by a build argument through ENV, with dotnet replacing the shell.
            var entrypoint = Assert.Single(image, i => i.Keyword == "ENTRYPOINT");
            Assert.Equal("[\"/bin/sh\", \"-c\", \"exec dotnet \\\"/app/${VIGIL_ASSEMBLY}.dll\\\"\"]", entrypoint.Arguments);
            Assert.Equal(project.AssemblyName, environment.GetValueOrDefault("VIGIL_ASSEMBLY"));
        }
    }

    [Theory, MemberData(nameof(Services))]
    public void Image_health_check_asks_alive_on_port_8080(string service)
    {
        var project = Repository.Service(service);
        var dockerfile = Dockerfile.Load(project.Dockerfile);
        foreach (var buildArgs in Variants(project))
        {
            var check = Assert.Single(dockerfile.FinalImage(buildArgs), i => i.Keyword == "HEALTHCHECK");
            Assert.Contains("CMD", check.Words);
            Assert.Contains("/dev/tcp/127.0.0.1/8080", check.Arguments);
            Assert.Contains("GET /alive ", check.Arguments);
        }
    }

    [Fact]
    public void Scoring_builds_the_cpu_variant_unless_told_otherwise()
    {
        var dockerfile = Dockerfile.Load(Repository.Service("scoring").Dockerfile);
        Assert.Equal("cpu", dockerfile.GlobalArgValues()["VARIANT"]);
        Assert.Equal(AspNet, dockerfile.BaseImage(dockerfile.Final));
    }

    [Fact]
    public void Scoring_gpu_variant_runs_on_a_cuda_13_base_with_the_dotnet_runtime_and_app_user_of_the_aspnet_image()
    {
        var scoring = Repository.Service("scoring");
        var dockerfile = Dockerfile.Load(scoring.Dockerfile);

        // Microsoft.ML.OnnxRuntime.Gpu.Linux 1.32 loads libcudart.so.13 and libcublas.so.13 (and cuDNN 9).
        Assert.Matches(@"^nvidia/cuda:13\.\d+(\.\d+)?-cudnn-runtime-ubuntu24\.04$", dockerfile.BaseImage(dockerfile.Final, scoring.BuildArgs(Gpu)));
        var image = dockerfile.FinalImage(scoring.BuildArgs(Gpu));
        var runtime = Assert.Single(image, i => i.Keyword == "COPY" && i.Operands[0] == "/usr/share/dotnet");
        Assert.Equal(AspNet, dockerfile.BaseImage(dockerfile.Stage(runtime.Flag("from")!)));
        Assert.Contains(image, i => i.Keyword == "RUN" && Regex.IsMatch(i.Arguments, $@"useradd\b.*--uid {KubernetesRunAsUser}\b"));
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void Scoring_restores_and_publishes_the_onnx_runtime_package_of_its_variant_for_linux_x64_only(string variant)
    {
        var dockerfile = Dockerfile.Load(Repository.Service("scoring").Dockerfile);
        var buildArgs = Repository.Service("scoring").BuildArgs(new Dictionary<string, string> { ["VARIANT"] = variant });
        var build = BuildStage(dockerfile, Repository.Service("scoring"));
        var args = dockerfile.StageArgValues(build, buildArgs);
        var commands = build.All("RUN").Select(r => Dockerfile.Expand(r.Arguments, args)).ToList();

        // The csproj picks Microsoft.ML.OnnxRuntime (cpu) or Microsoft.ML.OnnxRuntime.Gpu.Linux (gpu) by this property; restore
        // and publish must agree on it, and on the runtime, or publish finds no assets for what it builds.
        var restore = Assert.Single(commands, c => c.StartsWith("dotnet restore", StringComparison.Ordinal));
        var publish = Assert.Single(commands, c => c.StartsWith("dotnet publish", StringComparison.Ordinal));
        Assert.All([restore, publish], c => Assert.Contains($"/p:OnnxRuntimeBuild={variant}", c));
        Assert.All([restore, publish], c => Assert.Contains("--runtime linux-x64", c));
        Assert.Contains("--self-contained false", publish);
        // Nothing is downloaded beside NuGet: no native library stage, no library path.
        Assert.DoesNotContain(dockerfile.Stages.SelectMany(s => s.All("RUN")), r => r.Arguments.Contains("curl", StringComparison.Ordinal));
        Assert.DoesNotContain(Dockerfile.EnvOf(dockerfile.FinalImage(buildArgs)).Keys, k => k.StartsWith("Scoring__OnnxRuntime", StringComparison.Ordinal));
    }

    [Fact]
    public void The_scoring_project_references_the_onnx_runtime_package_each_variant_names()
    {
        var project = File.ReadAllText(Repository.PathOf("services/Scoring/Vigil.Scoring.csproj"));

        Assert.Matches(@"Include=""Microsoft\.ML\.OnnxRuntime"" Condition=""'\$\(OnnxRuntimeBuild\)' != 'gpu'""", project);
        Assert.Matches(@"Include=""Microsoft\.ML\.OnnxRuntime\.Gpu\.Linux"" Condition=""'\$\(OnnxRuntimeBuild\)' == 'gpu'""", project);
    }

    [Fact]
    public void Dockerignore_keeps_build_outputs_and_local_data_out_of_the_context()
    {
        var patterns = File.ReadAllLines(Repository.PathOf(".dockerignore"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Contains("**/bin/", patterns);
        Assert.Contains("**/obj/", patterns);
        Assert.Contains(".vigil/", patterns);

        // Nothing a Dockerfile copies may be ignored (folder patterns only; that is all the file uses).
        var ignoredFolders = patterns.Where(p => p.EndsWith('/') && !p.StartsWith("**", StringComparison.Ordinal)).ToList();
        var sources = Repository.ServiceProjects.SelectMany(p =>
        {
            var dockerfile = Dockerfile.Load(p.Dockerfile);
            return dockerfile.Stages.SelectMany(s => s.All("COPY")
                .Where(c => c.Flag("from") is null)
                .SelectMany(c => c.Operands.SkipLast(1))
                .Select(source => Dockerfile.Expand(source, dockerfile.StageArgValues(s, p.BuildArgs()))));
        });
        Assert.All(sources, source => Assert.DoesNotContain(ignoredFolders, folder => source.StartsWith(folder, StringComparison.Ordinal)));
    }

    /// <summary>The UID the pods run as (k8s/base/service-defaults.yaml), which the images must declare.</summary>
    private static int KubernetesRunAsUser =>
        int.Parse(Kustomize.Overlay("cpu").VigilServices[0].PodSpec.Str("securityContext", "runAsUser")!);

    private static DockerStage BuildStage(Dockerfile dockerfile, ServiceProject project) =>
        Assert.Single(dockerfile.Stages, s => s.All("RUN").Any(r =>
            Dockerfile.Expand(r.Arguments, dockerfile.StageArgValues(s, project.BuildArgs())).Contains($"dotnet publish {project.ProjectFile}")));

    /// <summary>The build arguments of each image of a project: Scoring's CPU and GPU variants, one image for the others.</summary>
    private static IEnumerable<IReadOnlyDictionary<string, string>> Variants(ServiceProject project) =>
        project.Name == "scoring" ? [project.BuildArgs(), project.BuildArgs(Gpu)] : [project.BuildArgs()];

    /// <summary>The final image's ENV values with the final stage's build arguments expanded.</summary>
    private static Dictionary<string, string> FinalEnvironment(Dockerfile dockerfile, IReadOnlyDictionary<string, string> buildArgs)
    {
        var args = dockerfile.StageArgValues(dockerfile.Final, buildArgs);
        return Dockerfile.EnvOf(dockerfile.FinalImage(buildArgs)).ToDictionary(e => e.Key, e => Dockerfile.Expand(e.Value, args));
    }
}
