using System.Text.RegularExpressions;

namespace QcdcCompliance.Import;

/// <summary>
/// The problems of a values import in Vietnamese, for the people who fix them (the workspace's upload page, the API's
/// <c>messageVi</c>): each message the value path writes has its Vietnamese; one it does not know stays in English.
/// </summary>
public static class ImportWording
{
    private static readonly (Regex Pattern, Func<Match, string> Vietnamese)[] Messages =
    [
        (new(@"^(-?\d+) is below (-?\d+); a count cannot be negative$"), m => $"{m.Groups[1]} nhỏ hơn {m.Groups[2]}: số đếm không thể âm; ghi số nguyên từ {m.Groups[2]} trở lên"),
        (new(@"^(-?\d+) is above (-?\d+)$"), m => $"{m.Groups[1]} lớn hơn {m.Groups[2]}"),
        (new(@"^'(.*)' is not a whole number; write digits only, e\.g\. (\d+)$", RegexOptions.Singleline),
            m => $"'{m.Groups[1]}' không phải số nguyên; chỉ ghi chữ số, ví dụ {m.Groups[2]}"),
        (new(@"^'(.*)' is not a yes/no value; write true/false, 1/0 or có/không$", RegexOptions.Singleline),
            m => $"'{m.Groups[1]}' không phải giá trị có/không; chọn \"có\" hoặc \"không\" (cũng nhận x, 1, 0)"),
        (new(@"^'(.*)' is not a percentage; write a number from 0 to 100, e\.g\. 85 or 85\.5$", RegexOptions.Singleline),
            m => $"'{m.Groups[1]}' không phải tỷ lệ phần trăm; ghi số từ 0 đến 100, ví dụ 85 hoặc 85,5"),
        (new(@"^(.*) is outside 0-100%; a share cannot be negative or over 100%$", RegexOptions.Singleline),
            m => $"{m.Groups[1]} nằm ngoài khoảng 0-100%"),
        (new(@"^'(.*)' has more than two decimals; round it to hundredths of a percent$", RegexOptions.Singleline),
            m => $"'{m.Groups[1]}' có quá hai chữ số thập phân; làm tròn đến hai chữ số"),
        (new(@"^(\S+) does not apply to unit (\S+) \((.*)\); it applies to (.*)$"),
            m => $"chỉ tiêu {m.Groups[1]} không áp dụng cho đơn vị {m.Groups[2]} ({m.Groups[3]}); chỉ áp dụng cho {m.Groups[4]}: để trống ô này"),
        (new(@"^unknown unit (\S+); import it with 'qcdc import units' first$"), m => $"không có đơn vị {m.Groups[1]}; đơn vị mới phải được nhập trước (qcdc import units)"),
        (new(@"^unknown unit (\S+), or outside your area;.*$"), m => $"không có đơn vị {m.Groups[1]}, hoặc đơn vị không thuộc địa bàn của bạn; chỉ nhập số liệu của đơn vị thuộc địa bàn mình"),
        (new(@"^unknown indicator (\S+);.*$"), m => $"không có chỉ tiêu {m.Groups[1]}; xem danh mục chỉ tiêu (qcdc indicators)"),
        (new(@"^'(.*)' is not a period;.*$", RegexOptions.Singleline), m => $"'{m.Groups[1]}' không phải kỳ báo cáo; ghi 2025 (năm), 2025S1 hoặc 2025S2 (6 tháng)"),
        (new(@"^period is empty;.*$"), _ => "thiếu kỳ báo cáo; ghi mã kỳ, ví dụ 2025S1"),
        (new(@"^(\S+) is reported per (\S+), not per (\S+); use a period such as (.*)$"),
            m => $"chỉ tiêu {m.Groups[1]} báo cáo theo {Period(m.Groups[2].Value)}, không theo {Period(m.Groups[3].Value)}; dùng kỳ như {m.Groups[4].Value.Replace(" or ", " hoặc ", StringComparison.Ordinal)}"),
        (new(@"^the area (\S+) of unit (\S+) did not exist in (\S+) and has no successor;.*$"),
            m => $"địa bàn {m.Groups[1]} của đơn vị {m.Groups[2]} không tồn tại trong kỳ {m.Groups[3]}; sửa địa bàn của đơn vị"),
        (new(@"^unit (\S+) has a row already \(row (\d+)\); keep one row per unit$"), m => $"đơn vị {m.Groups[1]} đã có ở dòng {m.Groups[2]}; mỗi đơn vị chỉ một dòng"),
        (new(@"^the row has figures but no unit code;.*$"), _ => "dòng có số liệu nhưng không có mã đơn vị; ghi mã đơn vị (cột unit_code) hoặc xóa dòng"),
        (new(@"^'(.*)' stands under no indicator.*$", RegexOptions.Singleline), m => $"'{m.Groups[1]}' nằm dưới một cột không có mã chỉ tiêu; xóa giá trị này"),
        (new(@"^'(.*)' in the code row is no indicator;.*$"), m => $"'{m.Groups[1]}' ở dòng mã không phải mã chỉ tiêu; không sửa dòng mã, tải lại mẫu"),
        (new(@"^(\S+) has two columns \((\S+) and (\S+)\); keep one$"), m => $"chỉ tiêu {m.Groups[1]} có hai cột ({m.Groups[2]} và {m.Groups[3]}); giữ một cột"),
        (new(@"^the code row has no 'period' column.*$"), _ => "dòng mã thiếu cột 'period' (kỳ báo cáo của từng dòng); tải lại mẫu"),
        (new(@"^'(.*)' is not a valid code;.*$", RegexOptions.Singleline), m => $"'{m.Groups[1]}' không phải mã hợp lệ; mã gồm chữ, số và - _ . /"),
        (new(@"^the file is not a readable XLSX workbook.*$", RegexOptions.Singleline), _ => "tệp không đọc được như bảng tính XLSX; lưu lại dạng .xlsx hoặc xuất ra CSV UTF-8"),
        (new(@"^the file is not UTF-8 text.*$"), _ => "tệp không phải văn bản UTF-8; lưu lại dạng 'CSV UTF-8' trong chương trình bảng tính"),
        (new(@"^a cell is (\d+) characters long; the limit is (\d+)$"), m => $"ô dài {m.Groups[1]} ký tự; tối đa {m.Groups[2]}"),
        (new(@"^unexpected column '(.*)'; the columns are (.*)$", RegexOptions.Singleline),
            m => $"cột '{m.Groups[1]}' không đúng mẫu; dùng mẫu tải từ hệ thống (dòng mã bắt đầu bằng unit_code) hoặc các cột {m.Groups[2]}"),
        (new(@"^column '(.*)' is missing; the columns are (.*)$"), m => $"thiếu cột '{m.Groups[1]}'; dùng mẫu tải từ hệ thống hoặc các cột {m.Groups[2]}"),
    ];

    /// <summary>The problem's message in Vietnamese, without where it is (the cell, unit and indicator are said apart).</summary>
    public static string Vietnamese(ImportProblem problem)
    {
        var message = problem.Message;
        var about = (problem.Unit, problem.Indicator) switch
        {
            ({ } u, { } i) => $"{u}, {i}: ",
            ({ } u, null) => $"{u}: ",
            (null, { } i) => $"{i}: ",
            _ => "",
        };
        if (about.Length > 0 && message.StartsWith(about, StringComparison.Ordinal))
            message = message[about.Length..];
        foreach (var (pattern, vietnamese) in Messages)
        {
            if (pattern.Match(message) is { Success: true } match)
                return vietnamese(match);
        }

        return message;
    }

    /// <summary>Where the problem is, in Vietnamese: "ô 'Số liệu'!F7, đơn vị XA1, chỉ tiêu DIALOGUE_CONFERENCES", or "dòng 7, cột value".</summary>
    public static string Where(ImportProblem problem)
    {
        var parts = new List<string>();
        if (problem.Cell is { } cell)
            parts.Add(cell.Contains('!', StringComparison.Ordinal) ? $"ô {cell}" : $"dòng {problem.Row}, cột {cell.Split(':')[^1]}");
        else if (problem.Row > 0)
            parts.Add(problem.Column.Length > 0 ? $"dòng {problem.Row}, cột {problem.Column}" : $"dòng {problem.Row}");
        if (problem.Unit is { } unit)
            parts.Add($"đơn vị {unit}");
        if (problem.Indicator is { } indicator)
            parts.Add($"chỉ tiêu {indicator}");
        return parts.Count == 0 ? "tệp" : string.Join(", ", parts);
    }

    private static string Period(string english) => english switch
    {
        "year" => "năm",
        "half-year" => "6 tháng",
        "quarter" => "quý",
        _ => english,
    };
}
