using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Vigil.IntegrationTests.Alerting;

/// <summary>One e-mail the SMTP receiver accepted: envelope, who authenticated, headers and the decoded subject and body.</summary>
public sealed record ReceivedMail(
    string MailFrom, IReadOnlyList<string> RcptTo, string? AuthenticatedAs, IReadOnlyDictionary<string, string> Headers, string Subject, string Body);

/// <summary>
/// A real SMTP server on a free loopback port, speaking enough of the protocol for System.Net.Mail: EHLO/HELO,
/// AUTH LOGIN and PLAIN (checked against the expected credentials), MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT.
/// Accepted messages are parsed (headers, RFC 2047 subject, quoted-printable or base64 body).
/// </summary>
public sealed partial class SmtpReceiver : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentQueue<ReceivedMail> _received = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly string _user;
    private readonly string _password;

    public SmtpReceiver(string user, string password)
    {
        _user = user;
        _password = password;
        _listener.Start();
        _ = AcceptAsync();
    }

    private int _failSenders;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The next <paramref name="count"/> MAIL FROM commands get 451 (a temporary failure), as in an outage.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failSenders, count);

    public IReadOnlyList<ReceivedMail> Received => [.. _received];

    /// <summary>Waits until at least <paramref name="count"/> accepted messages match; returns those that do.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> WaitForAsync(Func<ReceivedMail, bool> match, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            var matching = _received.Where(match).ToList();
            if (matching.Count >= count) return matching;
            await Task.Delay(50);
        }
        throw new TimeoutException($"{_received.Count(match)} of {count} matching e-mails arrived in time.");
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
        string? mailFrom = null, authenticated = null;
        var rcptTo = new List<string>();
        try
        {
            await writer.WriteLineAsync("220 vigil-test ESMTP");
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                var argument = line.Length > verb.Length ? line[(verb.Length + 1)..] : "";
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-vigil-test\r\n250-AUTH LOGIN PLAIN\r\n250 8BITMIME");
                        break;
                    case "HELO" or "NOOP" or "RSET":
                        if (verb == "RSET") (mailFrom, rcptTo) = (null, []);
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "AUTH":
                        authenticated = await AuthenticateAsync(argument, reader, writer);
                        break;
                    case "MAIL" when TakeFailure():
                        await writer.WriteLineAsync("451 4.3.0 Temporarily unavailable, try again later");
                        break;
                    case "MAIL":
                        mailFrom = Address(argument);
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "RCPT":
                        rcptTo.Add(Address(argument));
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(_stop.Token) is { } dataLine && dataLine != ".")
                            data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                        _received.Enqueue(Parse(mailFrom ?? "", rcptTo, authenticated, data.ToString()));
                        (mailFrom, rcptTo) = (null, []);
                        await writer.WriteLineAsync("250 OK: queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 Command not implemented");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // the client hung up, or the receiver is stopping
        }
    }

    private bool TakeFailure()
    {
        while (Volatile.Read(ref _failSenders) is > 0 and var left)
        {
            if (Interlocked.CompareExchange(ref _failSenders, left - 1, left) == left) return true;
        }
        return false;
    }

    /// <summary>AUTH LOGIN (with or without an initial response) and AUTH PLAIN; answers 235 or 535.</summary>
    private async Task<string?> AuthenticateAsync(string argument, StreamReader reader, StreamWriter writer)
    {
        var parts = argument.Split(' ', 2);
        string user, password;
        if (parts[0].Equals("LOGIN", StringComparison.OrdinalIgnoreCase))
        {
            if (parts.Length < 2)
            {
                await writer.WriteLineAsync("334 " + Convert.ToBase64String("Username:"u8.ToArray()));
                parts = ["LOGIN", await reader.ReadLineAsync() ?? ""];
            }
            user = FromBase64(parts[1]);
            await writer.WriteLineAsync("334 " + Convert.ToBase64String("Password:"u8.ToArray()));
            password = FromBase64(await reader.ReadLineAsync() ?? "");
        }
        else if (parts[0].Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
        {
            if (parts.Length < 2)
            {
                await writer.WriteLineAsync("334 ");
                parts = ["PLAIN", await reader.ReadLineAsync() ?? ""];
            }
            var fields = FromBase64(parts[1]).Split('\0');
            (user, password) = fields.Length == 3 ? (fields[1], fields[2]) : ("", "");
        }
        else
        {
            await writer.WriteLineAsync("504 Unrecognized authentication type");
            return null;
        }
        var accepted = user == _user && password == _password;
        await writer.WriteLineAsync(accepted ? "235 Authentication successful" : "535 Authentication failed");
        return accepted ? user : null;
    }

    private static ReceivedMail Parse(string mailFrom, IReadOnlyList<string> rcptTo, string? authenticated, string data)
    {
        var split = data.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headerText = split < 0 ? data : data[..split];
        var bodyText = split < 0 ? "" : data[(split + 4)..];
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        foreach (var line in headerText.Split("\r\n"))
        {
            if (line.Length > 0 && char.IsWhiteSpace(line[0]) && last is not null) headers[last] += line; // folded continuation
            else if (line.IndexOf(':') is > 0 and var colon) headers[last = line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        var encoding = headers.GetValueOrDefault("Content-Transfer-Encoding", "7bit").ToLowerInvariant();
        var body = encoding switch
        {
            "quoted-printable" => DecodeQuotedPrintable(bodyText),
            "base64" => Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(bodyText.Split("\r\n")))),
            _ => bodyText,
        };
        return new ReceivedMail(mailFrom, [.. rcptTo], authenticated, headers, DecodeWords(headers.GetValueOrDefault("Subject", "")), body.Replace("\r\n", "\n"));
    }

    private static string DecodeQuotedPrintable(string text)
    {
        var bytes = new List<byte>();
        var unfolded = text.Replace("=\r\n", "");
        for (var i = 0; i < unfolded.Length; i++)
        {
            if (unfolded[i] == '=' && IsHex(unfolded, i + 1))
            {
                bytes.Add(byte.Parse(unfolded.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(unfolded[i].ToString()));
            }
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static bool IsHex(string text, int at) => at + 1 < text.Length && Uri.IsHexDigit(text[at]) && Uri.IsHexDigit(text[at + 1]);

    /// <summary>RFC 2047 encoded words (=?utf-8?B?...?= / ?Q?); whitespace between adjacent words is dropped.</summary>
    private static string DecodeWords(string value)
    {
        var joined = AdjacentWords().Replace(value, "?==?");
        return EncodedWord().Replace(joined, m =>
        {
            var encoding = Encoding.GetEncoding(m.Groups["charset"].Value);
            var text = m.Groups["text"].Value;
            return m.Groups["kind"].Value.ToUpperInvariant() == "B"
                ? encoding.GetString(Convert.FromBase64String(text))
                : DecodeQuotedPrintable(text.Replace('_', ' '));
        });
    }

    private static string FromBase64(string value) => Encoding.UTF8.GetString(Convert.FromBase64String(value.Trim()));

    private static string Address(string argument) => AngleAddress().Match(argument) is { Success: true } m ? m.Groups[1].Value : argument;

    [GeneratedRegex(@"<([^>]*)>")]
    private static partial Regex AngleAddress();

    [GeneratedRegex(@"=\?(?<charset>[^?]+)\?(?<kind>[BbQq])\?(?<text>[^?]*)\?=")]
    private static partial Regex EncodedWord();

    [GeneratedRegex(@"\?=\s+=\?")]
    private static partial Regex AdjacentWords();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
