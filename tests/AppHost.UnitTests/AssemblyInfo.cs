// The AppHost it tests is Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
