// Each test class shares one running application (or starts its own AppHost process); running them side by side
// on a two-core machine would only make both slower and their timings meaningless.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// The application runs on Linux servers started the Debian way (see the AppHost).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
