using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using QcdcCompliance.Domain;
using QcdcCompliance.Host.Api;
using QcdcCompliance.Host.Security;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

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
    public async Task The_refusals_of_filters_periods_bodies_and_imports_are_in_Vietnamese_unless_the_request_prefers_English()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()),
            new Dictionary<string, string?> { ["Imports:MaxConcurrentPerPrincipal"] = "1" });
        var auditor = await bed.KeyAsync(Role.Auditor, "P");
        var reporter = await bed.KeyAsync(Role.Reporter, "P");
        var committee = await bed.KeyAsync(Role.Committee, "P");
        var districtAdmin = await bed.KeyAsync(Role.Admin, "D1");
        var finding = (await bed.As(auditor).GetFromJsonAsync<JsonElement>("/api/findings?period=2020S1&limit=1")).GetProperty("items")[0].GetProperty("id").GetInt64();
        var today = DateTime.UtcNow.AddHours(7);
        var running = $"{today.Year}S{(today.Month <= 6 ? 1 : 2)}";
        var gate = bed.Host.Services.GetRequiredService<ImportGate>();
        var importer = (await bed.Host.Services.GetRequiredService<ApiKeyStore>().AuthenticateAsync(reporter))!.PrincipalId;
        static StringContent Csv(string text) => new(text, System.Text.Encoding.UTF8, "text/csv");

        var unknownTarget = (English: "unknown target 'NOPE': no target set that binds your area has it; GET /api/targets lists their codes",
            Vietnamese: "không có chỉ tiêu 'NOPE' trong các bộ chỉ tiêu áp dụng cho địa bàn của bạn; GET /api/targets liệt kê mã các chỉ tiêu");
        var notBegun = (English: "period 2099S1 has not begun: it starts on 01/01/2099", Vietnamese: "kỳ 2099S1 chưa bắt đầu: kỳ bắt đầu ngày 01/01/2099");

        // Each refusal: who asks, what, the status, and the start of its text (its whole text where nothing in it changes by the day) in English and in Vietnamese.
        var refusals = new (string Key, Func<HttpClient, Task<HttpResponseMessage>> Ask, HttpStatusCode Status, string English, string Vietnamese)[]
        {
            (auditor, c => c.GetAsync("/api/findings?period=2020S1&state=Bogus"), HttpStatusCode.BadRequest,
                "state 'Bogus' is not one of New, Persisting or Resolved (or leave it out for every state)",
                "state 'Bogus' không phải một trong New, Persisting hoặc Resolved (bỏ state để xem mọi trạng thái)"),
            (auditor, c => c.GetAsync("/api/findings?period=2020S1&severity=Bogus"), HttpStatusCode.BadRequest,
                "severity 'Bogus' is not one of Low, Medium or High (or leave it out for every severity)",
                "severity 'Bogus' không phải một trong Low, Medium hoặc High (bỏ severity để xem mọi mức)"),
            (auditor, c => c.GetAsync("/api/findings?period=2020S1&format=xml"), HttpStatusCode.BadRequest,
                "format 'xml' is not json or csv (or leave it out, and send Accept: text/csv for the CSV)",
                "format 'xml' không phải json hoặc csv (hoặc bỏ format, và gửi Accept: text/csv để nhận CSV)"),
            (auditor, c => c.GetAsync("/api/findings?period=2020S1&target=NOPE"), HttpStatusCode.BadRequest,
                unknownTarget.English, unknownTarget.Vietnamese),
            (auditor, c => c.GetAsync("/api/compliance/trend?target=NOPE"), HttpStatusCode.BadRequest,
                unknownTarget.English, unknownTarget.Vietnamese),
            (auditor, c => c.GetAsync("/api/completeness?period=2099S1"), HttpStatusCode.BadRequest,
                notBegun.English, notBegun.Vietnamese),
            (reporter, c => c.GetAsync("/api/templates?period=2020S1&format=pdf"), HttpStatusCode.BadRequest,
                "format 'pdf' is not xlsx or csv", "format 'pdf' không phải xlsx hoặc csv"),
            (auditor, c => c.GetAsync("/api/audit/verify?from=99999"), HttpStatusCode.BadRequest,
                "the chain's head is link ", "mắt xích cuối của chuỗi kiểm toán là mắt xích "),
            (committee, c => c.PostAsJsonAsync("/api/evaluations", new { period = "2099S1" }), HttpStatusCode.BadRequest,
                notBegun.English, notBegun.Vietnamese),
            (committee, c => c.PostAsJsonAsync("/api/evaluations", new { period = running }), HttpStatusCode.BadRequest,
                $"{running} has not ended (it ends on ", $"kỳ {running} chưa kết thúc (kết thúc ngày "),
            (committee, c => c.PostAsJsonAsync("/api/evaluations", new { period = 2020 }), HttpStatusCode.BadRequest,
                "period is not a text in quotes (e.g. \"2020S1\")", "period không phải một chuỗi trong dấu ngoặc kép (ví dụ \"2020S1\")"),
            (committee, c => c.PostAsJsonAsync($"/api/findings/{finding}/acknowledge", new { }), HttpStatusCode.BadRequest,
                "a reason of 1 to 2000 characters is required: why the committee acknowledges this finding",
                "cần lý do dài 1 đến 2000 ký tự: vì sao Ban Chỉ đạo ghi nhận phát hiện này"),
            (reporter, c => c.PostAsync("/api/imports/bogus?file=x.csv", Csv("a,b\n")), HttpStatusCode.NotFound,
                "import kind 'bogus' is unknown: use areas, lineage, units or values (e.g. POST /api/imports/values)",
                "không có loại nhập 'bogus': dùng areas, lineage, units hoặc values (ví dụ POST /api/imports/values)"),
            (reporter, c => c.PostAsync("/api/imports/values?file=bad.csv", Csv(Province.ValuesHeader + "NO-SUCH-UNIT,2020S1,REGULATION_ISSUED,true,\n")),
                HttpStatusCode.UnprocessableEntity,
                "bad.csv: 1 problem(s). Fix them and send the whole file again.", "bad.csv: 1 lỗi (problems, messageVi). Hãy sửa rồi gửi lại cả tệp."),
            (reporter, async c =>
                {
                    using var busy = gate.TryEnter(importer, out _);
                    return await c.PostAsync("/api/imports/values?file=y.csv", Csv(Province.ValuesHeader));
                }, HttpStatusCode.TooManyRequests,
                "you have 1 import(s) running already; wait for it to finish.", "bạn đang có 1 lượt nhập chưa xong; hãy chờ lượt đó xong rồi gửi lại."),
            (districtAdmin, c => c.PostAsync("/api/imports/areas?file=a.csv", Csv("code,name,level,parent_code,valid_from,valid_to\n")), HttpStatusCode.Forbidden,
                "areas can only be imported by an administrator bound to a province (inside it), or a national administrator",
                "danh mục địa bàn chỉ được nhập bởi quản trị viên gắn với một tỉnh (trong tỉnh đó) hoặc quản trị viên toàn quốc."),
            (districtAdmin, c => c.PostAsync("/api/imports/lineage?file=l.csv", Csv("predecessor_code,successor_code,effective_from\n")), HttpStatusCode.Forbidden,
                "lineage can only be imported by an administrator bound to a province (inside it), or a national administrator",
                "quan hệ kế thừa giữa các địa bàn (sáp nhập) chỉ được nhập bởi quản trị viên gắn với một tỉnh (trong tỉnh đó) hoặc quản trị viên toàn quốc."),
            (auditor, c => c.GetAsync("/api/findings?period=2020S1&area=P&area=D1"), HttpStatusCode.BadRequest,
                "area is given 2 times; give it once (no parameter of the API takes more than one value)",
                "area được cho 2 lần; hãy cho một lần (không tham số nào của API nhận nhiều giá trị)"),
        };

        foreach (var (key, ask, status, english, vietnamese) in refusals)
        {
            foreach (var language in new[] { null, "en" })
            {
                var response = await ask(Asking(bed, key, language));
                var body = await response.Content.ReadAsStringAsync();
                var (title, detail, error, said) = await ProblemAsync(response, status);
                var text = error ?? detail;
                said.Should().Be(language ?? "vi", body);
                if (error is not null && detail is not null)
                    detail.Should().Be(error, "the detail of a refusal that names its parameter repeats the error");
                if (language is null)
                {
                    text.Should().StartWith(vietnamese, body).And.Be(text!.Normalize(System.Text.NormalizationForm.FormC));
                    new[] { "Bad request", "Not found", "Not allowed", "Too many imports", "One or more validation errors occurred.", "The file was refused; nothing was stored" }
                        .Should().NotContain(title, "the title is Vietnamese too");
                }
                else
                {
                    text.Should().StartWith(english, body);
                }
            }
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

    /// <summary>
    /// Two refusals that were English under <c>Content-Language: vi</c>: the trend asked without its target, and the
    /// evaluation of an area that lay in no province on the period's last day (the one sentence the evaluation, the
    /// sign-off and the template say too).
    /// </summary>
    [Fact]
    public async Task A_trend_without_a_target_and_an_evaluation_of_an_area_in_no_province_then_are_refused_in_Vietnamese_unless_the_request_prefers_English()
    {
        var engine = await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync());
        // N, a commune made on 1/7/2025, lay in no province on 30/6/2020.
        await engine.ImportAsync(ImportKind.Areas, "areas-n.csv", "code,name,level,parent_code,valid_from,valid_to\nN,Xã Mới,Commune,P,2025-07-01,\n");
        await using var bed = await ApiTestbed.StartAsync(engine);
        var (auditor, committee) = (await bed.KeyAsync(Role.Auditor, "P"), await bed.KeyAsync(Role.Committee, "P"));

        foreach (var language in new[] { null, "vi" })
        {
            var trend = await ProblemAsync(await Asking(bed, auditor, language).GetAsync("/api/compliance/trend"), HttpStatusCode.BadRequest);
            (trend.Error, trend.Detail, trend.Language).Should().Be(("cần có chỉ tiêu (target), ví dụ ?target=NQ02-6b", "cần có chỉ tiêu (target), ví dụ ?target=NQ02-6b", "vi"));
            var evaluation = await ProblemAsync(await Asking(bed, committee, language).PostAsJsonAsync("/api/evaluations", new { period = "2020S1", area = "N" }),
                HttpStatusCode.BadRequest);
            (evaluation.Detail, evaluation.Language).Should().Be(("địa bàn Xã Mới (N) không thuộc tỉnh nào vào ngày 30/06/2020 (ngày cuối kỳ 2020S1)", "vi"));
        }

        var english = await ProblemAsync(await Asking(bed, auditor, "en").GetAsync("/api/compliance/trend"), HttpStatusCode.BadRequest);
        (english.Error, english.Language).Should().Be(("target is required (e.g. ?target=NQ02-6b)", "en"));
        (await ProblemAsync(await Asking(bed, committee, "en").PostAsJsonAsync("/api/evaluations", new { period = "2020S1", area = "N" }), HttpStatusCode.BadRequest))
            .Detail.Should().Be("area N is not in any province on 2020-06-30 (the end of 2020S1)");
    }
}
