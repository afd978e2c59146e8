using QcdcCompliance.Reports;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;
using Xunit.Abstractions;

namespace QcdcCompliance.Tests.Cli;

/// <summary>
/// <c>qcdc import</c> refusing a file says each problem in Vietnamese first (where, what, how to fix it: the words of the
/// API's <c>whereVi</c> and <c>messageVi</c>, <see cref="ImportWording"/>), then as the file names it in English, and the
/// count likewise, as the other refusals of the command line do (<c>lỗi: …</c> then <c>error: …</c>).
/// </summary>
public sealed class ImportRefusalWordsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_refused_values_file_is_told_problem_by_problem_in_Vietnamese_then_English_with_its_row_column_and_fix()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        var file = Path.Combine(TestFolders.NewFolder("cli-import-words"), "values.csv");
        await File.WriteAllTextAsync(file, Province.ValuesHeader + "NO-SUCH-UNIT,2020S1,REGULATION_ISSUED,true,\nXA1,2020S1,REGULATION_ISSUED,maybe,\n");

        var run = await HostProcess.RunToExitAsync(engine.Storage, "import", "values", file);
        output.WriteLine($"exit {run.ExitCode}\n{run.Error}");

        run.ExitCode.Should().Be(1, "a refused file");
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Should().ContainInOrder(
            "values.csv: dòng 2, cột unit_code, đơn vị NO-SUCH-UNIT, chỉ tiêu REGULATION_ISSUED: không có đơn vị NO-SUCH-UNIT; đơn vị mới phải được nhập trước (qcdc import units)",
            "values.csv:2:unit_code: unknown unit NO-SUCH-UNIT; import it with 'qcdc import units' first",
            "values.csv: dòng 3, cột value, đơn vị XA1, chỉ tiêu REGULATION_ISSUED: 'maybe' không phải giá trị có/không; chọn \"có\" hoặc \"không\" (cũng nhận x, 1, 0)",
            "values.csv:3:value: 'maybe' is not a yes/no value; write true/false, 1/0 or có/không",
            "Tệp values.csv bị từ chối: 2 lỗi. Không có gì được lưu; hãy sửa rồi nhập lại tệp.",
            "values.csv was refused: 2 problem(s). Nothing was stored; fix them and import the file again.");
        run.Error.Normalize(System.Text.NormalizationForm.FormC).Should().Be(run.Error, "Vietnamese in NFC");
    }
}
