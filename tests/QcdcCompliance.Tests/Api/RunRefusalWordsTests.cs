using System.Net;
using System.Text.Json;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Host.Api;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Api;

/// <summary>
/// The refusals of <c>/api/findings?run=</c>, <c>/api/runs</c> and <c>/api/audit/verify</c> carry their Vietnamese
/// (<c>messageVi</c>) whatever the language asked, as a sign-off's 409 does; a run of another period is worded as the
/// engine words it for the command line (<see cref="RunAsOf.NotOf"/>), not by a second table.
/// </summary>
public sealed class RunRefusalWordsTests
{
    private static HttpClient Asking(ApiTestbed bed, string key, string? language)
    {
        var client = bed.As(key);
        client.DefaultRequestHeaders.AcceptLanguage.Clear();
        if (language is not null)
            client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        return client;
    }

    [Fact]
    public async Task Refusals_of_a_run_unknown_malformed_outside_or_of_another_period_carry_their_Vietnamese_in_both_languages()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var auditor = await bed.KeyAsync(Role.Auditor, "P");
        var run = (await (await bed.As(auditor).GetAsync("/api/runs?period=2020S1")).ReadAsync<RunPage>()).Items[0].Id;
        await QcdcCompliance.Tests.Security.OtherProvince.AddAsync(bed.Engine);
        var stranger = await bed.KeyAsync(Role.Auditor, "Q");
        var ofAnother = new RunAsOf(run, "2020S1", 0, RunStatus.Completed, null).NotOf("2020S2", "period")!;

        var refusals = new (string Key, string Path, HttpStatusCode Status, string English, string Vietnamese)[]
        {
            (auditor, "/api/findings?run=99999999", HttpStatusCode.NotFound, "run 99999999 is unknown or outside your area.",
                "lần đánh giá 99999999 không tồn tại hoặc nằm ngoài địa bàn của bạn."),
            (stranger, $"/api/findings?run={run}", HttpStatusCode.NotFound, $"run {run} is unknown or outside your area.",
                $"lần đánh giá {run} không tồn tại hoặc nằm ngoài địa bàn của bạn."),
            (auditor, "/api/findings?run=abc", HttpStatusCode.BadRequest, "run 'abc' is not a whole number", "run 'abc' không phải số nguyên"),
            (auditor, "/api/findings?run=0", HttpStatusCode.BadRequest, FindingsApi.RunTakes, "run là mã số của một lần đánh giá"),
            (auditor, $"/api/findings?run={run}&period=2020S2", HttpStatusCode.BadRequest, ofAnother.Message, ofAnother.MessageVi!),
            (auditor, "/api/runs/99999999", HttpStatusCode.NotFound, "run 99999999 is unknown or outside your area.",
                "lần đánh giá 99999999 không tồn tại hoặc nằm ngoài địa bàn của bạn."),
            (stranger, $"/api/runs/{run}", HttpStatusCode.NotFound, $"run {run} is unknown or outside your area.",
                $"lần đánh giá {run} không tồn tại hoặc nằm ngoài địa bàn của bạn."),
            (auditor, "/api/runs/abc", HttpStatusCode.BadRequest, "id 'abc' ", "id 'abc' không phải số nguyên"),
            (auditor, "/api/runs?period=2019S1", HttpStatusCode.NotFound, "period 2019S1 has not been evaluated", "kỳ 2019S1 chưa được đánh giá; chưa có gì để xem."),
            (auditor, "/api/audit/verify?from=abc", HttpStatusCode.BadRequest, "from and to are link numbers", "from và to là số thứ tự mắt xích"),
        };

        foreach (var (key, path, status, english, vietnamese) in refusals)
        {
            foreach (var language in new[] { null, "en" })
            {
                var response = await Asking(bed, key, language).GetAsync(path);
                var body = await response.Content.ReadAsStringAsync();
                response.StatusCode.Should().Be(status, body);
                var problem = JsonDocument.Parse(body).RootElement;
                problem.TryGetProperty("messageVi", out var messageVi).Should().BeTrue($"{path} ({language ?? "vi"}) carries its Vietnamese: {body}");
                var said = messageVi.GetString()!;
                said.Should().StartWith(vietnamese, path).And.Be(said.Normalize(System.Text.NormalizationForm.FormC));
                var detail = problem.TryGetProperty("detail", out var given) ? given.GetString()! : problem.GetProperty("errors").EnumerateObject().Single().Value[0].GetString()!;
                if (language is null)
                    detail.Should().Be(said, $"{path}: the detail is the Vietnamese by default");
                else
                    detail.Should().StartWith(english, $"{path}: the detail is the English asked for");
            }
        }
    }
}
