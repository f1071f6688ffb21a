// The AppHost provisions servers the Debian way (apt-get, setpriv, chown, file modes): Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
