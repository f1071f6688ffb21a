using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using Microsoft.Extensions.Options;
using Vigil.Alerting.Channels;

namespace Vigil.Alerting.Delivery;

/// <summary>Sends an alert e-mail through the SMTP server in <c>Alerting:Smtp</c> (STARTTLS and authentication as configured).</summary>
public sealed class SmtpSender(IOptions<AlertingOptions> options)
{
    public async Task<DeliveryOutcome> SendAsync(IReadOnlyList<string> to, EmailContent content, Guid alertId, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        using var client = new SmtpClient(smtp.Host, smtp.Port)
        {
            EnableSsl = smtp.EnableSsl,
            DeliveryMethod = SmtpDeliveryMethod.Network,
        };
        if (!string.IsNullOrEmpty(smtp.UserName)) client.Credentials = new NetworkCredential(smtp.UserName, smtp.Password);

        using var message = new MailMessage
        {
            From = new MailAddress(smtp.From, "Vigil"),
            Subject = content.Subject,
            SubjectEncoding = Encoding.UTF8,
            Body = content.Body,
            BodyEncoding = Encoding.UTF8,
            BodyTransferEncoding = TransferEncoding.QuotedPrintable,
        };
        foreach (var recipient in to) message.To.Add(recipient);
        message.Headers.Add("X-Vigil-Alert-Id", alertId.ToString());

        var server = $"SMTP {smtp.Host}:{smtp.Port}";
        // SmtpClient.Timeout covers only the synchronous Send; the asynchronous one is bounded here.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Delivery.Timeout);
        try
        {
            await client.SendMailAsync(message, timeout.Token);
            return DeliveryOutcome.Success;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryOutcome.Transient($"{server} did not answer in time");
        }
        catch (SmtpFailedRecipientException e) when ((int)e.StatusCode is >= 500 and < 600)
        {
            return DeliveryOutcome.Permanent($"{server} refused {e.FailedRecipient}: {e.Message}");
        }
        catch (SmtpException e)
        {
            return DeliveryOutcome.Transient($"{server}: {e.GetBaseException().Message}");
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException)
        {
            return DeliveryOutcome.Transient($"{server} unreachable: {e.Message}");
        }
    }
}
