using System.Net;
using System.Text;

namespace Vigil.Alerting.Delivery;

/// <summary>POSTs a JSON body to a webhook (generic or Slack). An <c>Idempotency-Key</c> header lets receivers drop repeats.</summary>
public sealed class WebhookSender(IHttpClientFactory httpClients)
{
    public const string HttpClientName = "alerting-webhooks";

    public async Task<DeliveryOutcome> SendAsync(Uri url, string json, string idempotencyKey, Guid alertId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        request.Headers.Add("X-Vigil-Alert-Id", alertId.ToString());
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.IsSuccessStatusCode) return DeliveryOutcome.Success;
            var error = $"{url.GetLeftPart(UriPartial.Authority)} answered {(int)response.StatusCode} {response.ReasonPhrase}";
            return response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500
                ? DeliveryOutcome.Transient(error)
                : DeliveryOutcome.Permanent(error);
        }
        catch (HttpRequestException e)
        {
            return DeliveryOutcome.Transient($"{url.GetLeftPart(UriPartial.Authority)} unreachable: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryOutcome.Transient($"{url.GetLeftPart(UriPartial.Authority)} did not answer in time");
        }
    }
}
