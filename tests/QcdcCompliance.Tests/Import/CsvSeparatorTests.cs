using System.Text;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Import;

/// <summary>
/// The separator of a CSV is the one that splits its first lines into the same number of cells, quotes respected: a
/// template saved by Excel in a Vietnamese locale has ';' between cells and commas inside its first line's names.
/// </summary>
public sealed class CsvSeparatorTests
{
    private static byte[] Utf8WithBom(string text) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)];

    [Fact]
    public async Task A_unit_template_saved_with_semicolons_and_commas_in_its_names_imports()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        // As Excel (vi-VN) saves the template of one agency: the names row holds as many commas as semicolons.
        var template = "Mã đơn vị;Tên đơn vị;Kỳ báo cáo;Tổ chức hội nghị cán bộ, công chức, viên chức, người lao động (có / không)\r\n"
                       + "unit_code;unit_name;period;STAFF_CONFERENCE_HELD\r\n"
                       + "CQ1;Phòng Nội vụ, huyện Một;2020;có\r\n";

        var summary = await engine.ImportAsync(ImportKind.Values, "unit_CQ1.csv", Utf8WithBom(template));

        summary.Inserted.Should().Be(1);
        await using var db = engine.Db();
        (await db.DataValues.SingleAsync()).Value.Should().Be(1);
    }

    [Fact]
    public async Task A_long_file_with_commas_is_read_with_commas_though_a_comment_holds_semicolons()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        var text = Province.ValuesHeader
                   + "XA1,2020S1,REGULATION_ISSUED,true,\"đã ban hành; niêm yết; họp dân\"\r\n"
                   + "XA2,2020S1,REGULATION_ISSUED,false,chưa; sẽ ban hành; quý 3\r\n";

        var summary = await engine.ImportAsync(ImportKind.Values, "values.csv", Utf8WithBom(text));

        summary.Inserted.Should().Be(2);
    }

    [Fact]
    public async Task A_semicolon_file_whose_quoted_cell_spans_lines_is_read_with_semicolons()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        var text = "unit_code;period;indicator;value;comment\r\n"
                   + "XA1;2020S1;REGULATION_ISSUED;có;\"dòng một, dòng hai\r\ndòng ba, dòng bốn\"\r\n"
                   + "XA2;2020S1;REGULATION_ISSUED;không;\r\n";

        var summary = await engine.ImportAsync(ImportKind.Values, "values.csv", Utf8WithBom(text));

        summary.Inserted.Should().Be(2);
    }
}
