using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Domain;
using QcdcCompliance.Submissions;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;
using QcdcCompliance.Tests.Security;

namespace QcdcCompliance.Tests.Submissions;

/// <summary>
/// The upload page names a refused file's problems as the README promises, whichever of its two formats the officer sent:
/// the unit by its name and code, the indicator by its name, and a way out that fits a template's cell or a list's row.
/// </summary>
public sealed class UploadProblemWordingTests
{
    /// <summary>The problems table of a refused upload: where, and what, per row.</summary>
    private static async Task<List<(string Where, string Message)>> ProblemsAsync(HttpResponseMessage upload, bool english = false)
    {
        upload.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var page = WebUtility.HtmlDecode(await upload.Content.ReadAsStringAsync());
        var label = english ? ("Where", "Problem") : ("Vị trí", "Lỗi");
        return Regex.Matches(page, $"<td data-label=\"{label.Item1}\">(.*?)</td><td data-label=\"{label.Item2}\">(.*?)</td>")
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
    }

    [Fact]
    public async Task A_long_files_problems_name_the_unit_and_indicator_in_words_and_a_row_is_told_to_be_deleted_where_a_templates_cell_is_emptied()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Reporter, "P"), returnUrl: "");
        var (posted, inspections) = (IndicatorCatalogue.Get("DISCLOSURE_POSTED"), IndicatorCatalogue.Get("INSPECTION_SUPERVISIONS"));
        // DN2 is an enterprise without a union, which does not post; -3 is no count.
        var file = Encoding.UTF8.GetBytes(Province.ValuesHeader + "DN2,2020S1,DISCLOSURE_POSTED,có,\nXA1,2020S1,INSPECTION_SUPERVISIONS,-3,\n");

        var problems = await ProblemsAsync(await WorkspaceTests.UploadAsync(browser, "long.csv", file));

        problems.Should().HaveCount(2);
        problems[0].Where.Should().Be($"dòng 2, cột indicator, đơn vị Công ty Hai (DN2), chỉ tiêu “{posted.NameVi}”");
        problems[0].Message.Should().StartWith($"chỉ tiêu “{posted.NameVi}” không áp dụng cho đơn vị Công ty Hai (DN2) (doanh nghiệp ngoài nhà nước, không có công đoàn)")
            .And.EndWith(": xóa dòng này", "a list's row is the value: leaving its value empty is refused too").And.NotContain("để trống ô này");
        problems[1].Where.Should().Be($"dòng 3, cột value, đơn vị UBND Xã Một (XA1), chỉ tiêu “{inspections.NameVi}”");
        problems[1].Message.Should().Be("-3 nhỏ hơn 0: số đếm không thể âm; ghi số nguyên từ 0 trở lên");
        problems.Should().NotContain(p => p.Where.Contains("DISCLOSURE_POSTED") || p.Message.Contains("DISCLOSURE_POSTED"), "the indicator is named in words");

        var english = await ProblemsAsync(await WorkspaceTests.UploadAsync(browser, "long.csv", file, english: true), english: true);
        english[0].Where.Should().Be($"row 2, column indicator, unit Công ty Hai (DN2), indicator “{posted.NameEn}”");

        // The same problem in a filled template is its cell's, named the same way, and the cell is to be left empty.
        var model = await bed.Engine.Services.GetRequiredService<ReportingTemplates>().ForAreaAsync("2020S1", "P");
        var template = await (await browser.GetAsync("/api/templates?period=2020S1&area=P")).Content.ReadAsByteArrayAsync();
        var filled = TemplateTests.Fill(template, model, (_, _) => null, closed: ("DN2", "DISCLOSURE_POSTED", "có"));
        var cell = await ProblemsAsync(await WorkspaceTests.UploadAsync(browser, "mau.xlsx", filled));
        cell.Should().ContainSingle().Which.Where.Should().EndWith($", đơn vị Công ty Hai (DN2), chỉ tiêu “{posted.NameVi}”").And.StartWith("ô 'Số liệu'!");
        cell[0].Message.Should().Be(problems[0].Message.Replace(": xóa dòng này", ": để trống ô này", StringComparison.Ordinal));
    }
}
