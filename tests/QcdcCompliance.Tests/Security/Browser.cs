using System.Net;
using System.Text.RegularExpressions;
using QcdcCompliance.Host.Security;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Security;

/// <summary>
/// A browser on the test server, as far as the security of its session goes: it keeps the cookies it is given, reads
/// the antiforgery field of a page and posts its forms with it.
/// </summary>
public sealed partial class Browser(TestWebHost host)
{
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    public string? Session => _cookies.TryGetValue(QcdcSecurity.CookieName, out var value) ? $"{QcdcSecurity.CookieName}={value}" : null;

    public void Forget(string name) => _cookies.Remove(name);

    public void Set(string cookie)
    {
        var pair = cookie.Split(';')[0];
        var at = pair.IndexOf('=', StringComparison.Ordinal);
        _cookies[pair[..at]] = pair[(at + 1)..];
    }

    public async Task<HttpResponseMessage> GetAsync(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        return await SendAsync(request);
    }

    /// <summary>Opens <paramref name="page"/>, then posts its form (the one whose action is <paramref name="action"/>) with the given fields and its token.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string page, string action, IDictionary<string, string> fields)
    {
        var html = await (await GetAsync(page)).Content.ReadAsStringAsync();
        var token = AntiforgeryField().Match(html);
        token.Success.Should().BeTrue($"{page} carries an antiforgery field");
        var values = new Dictionary<string, string>(fields) { [token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value) };
        using var request = new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(values) };
        return await SendAsync(request);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        if (_cookies.Count > 0)
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        var response = await host.Client().SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var set))
        {
            foreach (var cookie in set)
            {
                if (cookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                    _cookies.Remove(cookie.Split('=')[0]);
                else
                    Set(cookie);
            }
        }

        return response;
    }

    /// <summary>Signs in through the form with a key; the answer (a redirect when the key was taken) and its text, to scan.</summary>
    public static async Task<(Browser Browser, HttpResponseMessage Response, string Text)> SignInAsync(TestWebHost host, string key, string returnUrl = "/")
    {
        var browser = new Browser(host);
        var response = await browser.SubmitAsync($"/signin?returnUrl={Uri.EscapeDataString(returnUrl)}", "/signin",
            new Dictionary<string, string> { ["key"] = key, ["returnUrl"] = returnUrl });
        return (browser, response, $"{(int)response.StatusCode} {response.Headers} {await response.Content.ReadAsStringAsync()}");
    }

    [GeneratedRegex("""<input type="hidden" name="(__RequestVerificationToken[^"]*)" value="([^"]+)"\s*/?>""")]
    private static partial Regex AntiforgeryField();
}
