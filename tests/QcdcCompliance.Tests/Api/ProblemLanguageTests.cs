using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using QcdcCompliance.Domain;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Api;

public sealed class ProblemLanguageTests
{
    /// <summary>A client of the test host asking for <paramref name="language"/> (null: no Accept-Language, as curl sends).</summary>
    private static HttpClient Asking(ApiTestbed bed, string? key, string? language)
    {
        var client = key is null ? bed.Anonymous() : bed.As(key);
        client.DefaultRequestHeaders.AcceptLanguage.Clear();
        if (language is not null)
            client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        return client;
    }

    private static async Task<(string? Title, string? Detail, string? Error, string? Language)> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var problem = await response.ReadAsync<JsonElement>(status);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var error = problem.TryGetProperty("errors", out var errors) ? errors.EnumerateObject().Single().Value[0].GetString() : null;
        return (problem.GetProperty("title").GetString(), problem.TryGetProperty("detail", out var detail) ? detail.GetString() : null, error,
            response.Content.Headers.ContentLanguage.SingleOrDefault());
    }

    [Fact]
    public async Task Problems_are_in_Vietnamese_unless_the_request_prefers_English()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var auditor = await bed.KeyAsync(Role.Auditor, "P");
        var reporter = await bed.KeyAsync(Role.Reporter, "P");
        var committee = await bed.KeyAsync(Role.Committee, "D1");
        (await Asking(bed, committee, "en").PostAsJsonAsync("/api/signoffs", new { period = "2020S1", area = "D1", reason = "Đã rà soát" })).StatusCode.Should().Be(HttpStatusCode.OK);

        foreach (var language in new[] { null, "vi", "vi-VN, en;q=0.8", "fr, vi;q=0.9, en;q=0.5" })
        {
            (await ProblemAsync(await Asking(bed, auditor, language).GetAsync("/api/findings?period=2020S1&area=NOWHERE"), HttpStatusCode.NotFound))
                .Should().Be(("Không tìm thấy", "địa bàn NOWHERE không tồn tại hoặc nằm ngoài địa bàn của bạn.", null, "vi"), language);
            (await ProblemAsync(await Asking(bed, auditor, language).GetAsync("/api/findings?period=2019S1"), HttpStatusCode.NotFound)).Detail
                .Should().Be("kỳ 2019S1 chưa được đánh giá; chưa có gì để xem.");
            var missing = await ProblemAsync(await Asking(bed, auditor, language).GetAsync("/api/compliance"), HttpStatusCode.BadRequest);
            (missing.Title, missing.Error).Should().Be(("Yêu cầu có giá trị không hợp lệ.", "cần có kỳ (period), ví dụ ?period=2020S1"));
            (await ProblemAsync(await Asking(bed, auditor, language).GetAsync("/api/findings?period=2020S1&limit=abc"), HttpStatusCode.BadRequest)).Error
                .Should().Be("limit 'abc' không phải số nguyên từ 1 đến 1000");
            (await ProblemAsync(await Asking(bed, auditor, language).GetAsync("/api/findings/abc"), HttpStatusCode.BadRequest)).Error
                .Should().Be("id 'abc' không phải số nguyên");
            var unauthorized = await ProblemAsync(await Asking(bed, null, language).GetAsync("/api/periods"), HttpStatusCode.Unauthorized);
            (unauthorized.Title, unauthorized.Detail).Should().Be(("Cần đăng nhập", "Hãy gửi khóa API (tạo bằng 'qcdc keys create') trong header X-Api-Key hoặc dạng 'Authorization: Bearer <key>'."));
            (await ProblemAsync(await Asking(bed, reporter, language).GetAsync("/api/findings?period=2020S1"), HttpStatusCode.Forbidden))
                .Should().Be(("Không được phép", "Vai trò của bạn không được làm việc này.", null, "vi"));
            (await ProblemAsync(await Asking(bed, committee, language).PostAsJsonAsync("/api/signoffs", new { period = "2020S1", area = "D1", reason = "Lần nữa" }),
                HttpStatusCode.Conflict)).Title.Should().Be("Chưa ký duyệt được");
        }

        foreach (var language in new[] { "en", "en-US, en;q=0.9", "fr, en;q=0.8, vi;q=0.5" })
        {
            (await ProblemAsync(await Asking(bed, auditor, language).GetAsync("/api/findings?period=2020S1&area=NOWHERE"), HttpStatusCode.NotFound))
                .Should().Be(("Not found", "area NOWHERE is unknown or outside your area.", null, "en"), language);
            (await ProblemAsync(await Asking(bed, auditor, language).GetAsync("/api/compliance"), HttpStatusCode.BadRequest)).Error
                .Should().Be("period is required (e.g. ?period=2020S1)");
            (await ProblemAsync(await Asking(bed, null, language).GetAsync("/api/periods"), HttpStatusCode.Unauthorized)).Title.Should().Be("Sign in required");
            (await ProblemAsync(await Asking(bed, reporter, language).GetAsync("/api/findings?period=2020S1"), HttpStatusCode.Forbidden)).Detail
                .Should().Be("Your role may not do this.");
            (await ProblemAsync(await Asking(bed, committee, language).PostAsJsonAsync("/api/signoffs", new { period = "2020S1", area = "D1", reason = "Lần nữa" }),
                HttpStatusCode.Conflict)).Title.Should().Be("Not signed off");
        }
    }

    [Fact]
    public async Task A_client_that_accepts_only_CSV_is_refused_in_Vietnamese_too_unless_it_prefers_English()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var auditor = await bed.KeyAsync(Role.Auditor, "P");

        HttpClient Csv(string? key, string? language)
        {
            var client = Asking(bed, key, language);
            client.DefaultRequestHeaders.Accept.Clear();
            client.DefaultRequestHeaders.Accept.ParseAdd("text/csv");
            return client;
        }

        // An endpoint's refusal (the findings' CSV of an area that is not there) and the framework's (no key).
        (await ProblemAsync(await Csv(auditor, null).GetAsync("/api/findings?period=2020S1&area=NOWHERE"), HttpStatusCode.NotFound))
            .Should().Be(("Không tìm thấy", "địa bàn NOWHERE không tồn tại hoặc nằm ngoài địa bàn của bạn.", null, "vi"));
        (await ProblemAsync(await Csv(null, null).GetAsync("/api/findings?period=2020S1"), HttpStatusCode.Unauthorized)).Title.Should().Be("Cần đăng nhập");

        (await ProblemAsync(await Csv(auditor, "en").GetAsync("/api/findings?period=2020S1&area=NOWHERE"), HttpStatusCode.NotFound))
            .Should().Be(("Not found", "area NOWHERE is unknown or outside your area.", null, "en"));
        (await ProblemAsync(await Csv(null, "en").GetAsync("/api/findings?period=2020S1"), HttpStatusCode.Unauthorized)).Title.Should().Be("Sign in required");
    }
}
