// It starts the application through the AppHost, which runs on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
