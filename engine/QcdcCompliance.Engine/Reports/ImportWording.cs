using System.Globalization;
using System.Text.RegularExpressions;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;

namespace QcdcCompliance.Reports;

/// <summary>
/// The problems of an import in Vietnamese, for the people who fix them (the workspace's upload page, the what-if's
/// proposal, the API's <c>messageVi</c>): each message the value path, the units, areas and lineage and the target sets
/// write has its Vietnamese; one it does not know stays in English.
/// </summary>
public static class ImportWording
{
    /// <summary>
    /// The ways out the messages name for a terminal (a command), and what a page in the browser says instead: a reporting
    /// officer there has no command line, only pages and the people who run the system. The message is written once (by
    /// the importer, or its Vietnamese below); a page reads it through this table (<see cref="WordingSurface.Browser"/>),
    /// the CLI and the API keep the command.
    /// </summary>
    private static readonly (string Terminal, string Browser)[] WaysOut =
    [
        ("; import it with 'qcdc import units' first", "; a new unit is first added to the list of units by the system's administrator: ask yours to add it"),
        ("(a new unit is imported with 'qcdc import units' first)", "(a new unit is first added to the list of units by the system's administrator)"),
        ("correct the unit's active_from/active_to with 'qcdc import units'", "ask the system's administrator to correct the unit's dates of activity"),
        ("see the catalogue (qcdc indicators)", "download the template: its sheet Hướng dẫn lists the indicators"),
        ("see the catalogue (qcdc indicators), or download the template again", "download the template again: its sheet Hướng dẫn lists the indicators"),
        ("see `qcdc indicators`", "download the template: its sheet Hướng dẫn lists the indicators"),
        ("đơn vị mới phải được nhập trước (qcdc import units)", "đơn vị mới phải được quản trị viên hệ thống thêm vào danh mục đơn vị trước: đề nghị quản trị viên thêm đơn vị này"),
        ("xem danh mục chỉ tiêu (qcdc indicators)", "tải mẫu báo cáo: sheet Hướng dẫn liệt kê các chỉ tiêu"),
    ];

    /// <summary>A message as a page in the browser says it: each terminal's way out replaced by the browser's (<see cref="WaysOut"/>).</summary>
    private static string InBrowser(string message)
    {
        foreach (var (terminal, browser) in WaysOut.OrderByDescending(w => w.Terminal.Length))
            message = message.Replace(terminal, browser, StringComparison.Ordinal);
        return message;
    }

    /// <summary>
    /// A value's lock as <see cref="SignOffLocks.Refusal"/> writes it: the period signed, its area's code, who (the principal),
    /// the day and time, the unit, the period written, and the area's name; for a first half locked by its year, the
    /// file's indicators the year sums (<c>read</c>).
    /// </summary>
    private static readonly Regex ValueLock = new(
        @"^(\S+) of (\S+) was signed off by (.*) on (\d\d/\d\d/\d{4}) (\d\d:\d\d) \(Asia/Ho_Chi_Minh\), so the values of unit (\S+) for (\S+)"
        + @"(?: are locked(?: \(the year \S+ reads them\))?| that the year \S+ sums are locked \((?<read>[^:]*): the year adds them to the second half's; not its states and yes/no answers, which it reads from the second half alone\))"
        + @"(?:, and by the sign-offs? of (?<also>.*?))?;.* A committee member of \S+ \((.*)\) reopens it.*$",
        RegexOptions.Singleline);

    /// <summary>
    /// What a first half locked by its year is locked of, in words (<see cref="ValueLock"/>'s <c>read</c>): the indicators
    /// the year sums, by name, and that its states and yes/no answers are not; empty when the whole half is locked.
    /// </summary>
    private static string YearSums(Match m, bool vietnamese)
    {
        if (!m.Groups["read"].Success)
            return "";
        var names = m.Groups["read"].Value.Split(", ", StringSplitOptions.RemoveEmptyEntries)
            .Select(code => IndicatorCatalogue.Find(code) is { } i ? vietnamese ? char.ToLowerInvariant(i.NameVi[0]) + i.NameVi[1..] : i.NameEn : code);
        return vietnamese
            ? $" ({string.Join("; ", names)}; không gồm các số liệu trạng thái và có/không, mà năm chỉ đọc ở 6 tháng cuối năm)"
            : $" ({string.Join("; ", names)}; not its states and yes/no answers, which the year reads from the second half alone)";
    }

    /// <summary>The people-informed check (<c>ValueImporter</c>): the figure written, the other of the pair, where that one is, the unit and the period.</summary>
    private static readonly Regex PeoplePair = new(
        @"^(?<code>PEOPLE_INFORMED|PEOPLE_TO_INFORM) (?<figure>\d+) is (?:more|less) than (?:PEOPLE_TO_INFORM|PEOPLE_INFORMED) (?<other>\d+) \((?<where>stored|in this file)\) of unit (?<unit>\S+) in (?<period>\S+);.*$");

    private const string PeopleFix = "người được quán triệt nằm trong số người phải quán triệt: sửa một trong hai số";

    private static readonly (Regex Pattern, Func<Match, string> Vietnamese)[] Messages =
    [
        (new(@"^(-?\d+) is below (-?\d+); a count cannot be negative$"), m => $"{m.Groups[1]} nhỏ hơn {m.Groups[2]}: số đếm không thể âm; ghi số nguyên từ {m.Groups[2]} trở lên"),
        (new(@"^'(.*)' is too large: at most ([\d,]+) is accepted; check the figure$", RegexOptions.Singleline),
            m => $"'{m.Groups[1]}' quá lớn: tối đa {m.Groups[2].Value.Replace(',', '.')}; kiểm tra lại số liệu"),
        (new(@"^'(.*)' is not a whole number; write it without decimals, e\.g\. (\d+) or ([\d.]+)$", RegexOptions.Singleline),
            m => $"'{m.Groups[1]}' không phải số nguyên; ghi số không có phần thập phân, ví dụ {m.Groups[2]} hoặc {m.Groups[3]}"),
        (new(@"^'(.*)' is ambiguous: with '\.' as the decimal point it is (\S+), with '\.' grouping thousands (\S+); write the figure with digits only \((.*)\)$", RegexOptions.Singleline),
            m => $"'{m.Groups[1]}' đọc được hai cách: dấu '.' là dấu thập phân thì là {m.Groups[2].Value.Replace('.', ',')}, dấu '.' phân cách hàng nghìn thì là {m.Groups[3]}; "
                 + $"chỉ ghi chữ số, không dấu chấm, dấu phẩy ({m.Groups[4].Value.Replace(" or ", " hoặc ", StringComparison.Ordinal)})"),
        (new(@"^'(.*)' is not a whole number as this file writes numbers .*$", RegexOptions.Singleline),
            m => $"'{m.Groups[1]}' không phải số nguyên theo cách ghi số của tệp (tệp phân cách bằng dấu ';': dấu ',' là dấu thập phân, dấu '.' phân cách hàng nghìn, như 1.327.453); "
                 + "chỉ ghi chữ số, ví dụ 1327453"),
        (new(@"^'(.*)' is not a yes/no value; write true/false, 1/0 or có/không$", RegexOptions.Singleline),
            m => $"'{m.Groups[1]}' không phải giá trị có/không; chọn \"có\" hoặc \"không\" (cũng nhận x, 1, 0)"),
        (new(@"^'(.*)' is not a percentage; write a number from 0 to 100, e\.g\. 85 or 85\.5$", RegexOptions.Singleline),
            m => $"'{m.Groups[1]}' không phải tỷ lệ phần trăm; ghi số từ 0 đến 100, ví dụ 85 hoặc 85,5"),
        (new(@"^(.*) is outside 0-100%; a share cannot be negative or over 100%$", RegexOptions.Singleline),
            m => $"{m.Groups[1]} nằm ngoài khoảng 0-100%"),
        (new(@"^'(.*)' has more than two decimals; round it to hundredths of a percent$", RegexOptions.Singleline),
            m => $"'{m.Groups[1]}' có quá hai chữ số thập phân; làm tròn đến hai chữ số"),
        (new(@"^(\S+) does not apply to unit (\S+) \((.*)\); it applies to (.*)$"),
            m => $"chỉ tiêu {m.Groups[1]} không áp dụng cho đơn vị {m.Groups[2]} ({UnitDescribed(m.Groups[3].Value)}); chỉ áp dụng cho {KindsNamed(m.Groups[4].Value)}: để trống ô này"),
        (new(@"^unknown unit (\S+); import it with 'qcdc import units' first$"), m => $"không có đơn vị {m.Groups[1]}; đơn vị mới phải được nhập trước (qcdc import units)"),
        (new(@"^unknown unit (\S+), or outside your area;.*$"), m => $"không có đơn vị {m.Groups[1]}, hoặc đơn vị không thuộc địa bàn của bạn; chỉ nhập số liệu của đơn vị thuộc địa bàn mình (đơn vị mới phải được nhập trước (qcdc import units))"),
        (new(@"^unknown indicator (\S+);.*$"), m => $"không có chỉ tiêu {m.Groups[1]}; xem danh mục chỉ tiêu (qcdc indicators)"),
        (new(@"^'(.*)' is not a period;.*$", RegexOptions.Singleline), m => $"'{m.Groups[1]}' không phải kỳ báo cáo; ghi 2025 (năm), 2025S1 hoặc 2025S2 (6 tháng)"),
        (new(@"^period (\S+) has not begun: it starts on (\S+) and today is (\S+) \(Asia/Ho_Chi_Minh\);.*$"),
            m => Domain.Period.NotBegunInVietnamese(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value)),
        (PeoplePair,
            m => (m.Groups["code"].Value == "PEOPLE_INFORMED"
                     ? $"số người được quán triệt (PEOPLE_INFORMED) {Figure(m.Groups["figure"])} lớn hơn tổng số người phải quán triệt (PEOPLE_TO_INFORM)"
                     : $"tổng số người phải quán triệt (PEOPLE_TO_INFORM) {Figure(m.Groups["figure"])} nhỏ hơn số người được quán triệt (PEOPLE_INFORMED)")
                 + $" {Figure(m.Groups["other"])} ({OtherFigure(m.Groups["where"].Value)}) của đơn vị {m.Groups["unit"]}, {PeriodInSentence(m.Groups["period"].Value)}; {PeopleFix}"),
        (new(@"^unit (\S+) would (join|leave) the units of (\S+) \(active on its last day, (\S+): (yes|no) -> (yes|no)\), so it would change that period's figures: (.*); or, if the unit opened or closed later, write that day \(after (\S+)\)$", RegexOptions.Singleline),
            m => $"đơn vị {m.Groups[1]} sẽ {(m.Groups[2].Value == "join" ? "được tính vào" : "bị bỏ khỏi")} các đơn vị của {PeriodInSentence(m.Groups[3].Value)} "
                 + $"(hoạt động vào ngày cuối kỳ {DateOnly.ParseExact(m.Groups[4].Value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture):dd/MM/yyyy}: "
                 + $"{(m.Groups[5].Value == "yes" ? "có" : "không")} → {(m.Groups[6].Value == "yes" ? "có" : "không")}), nên sẽ làm thay đổi số liệu của kỳ đó: "
                 + $"{Translated(m.Groups[7].Value)}; hoặc, nếu đơn vị bắt đầu hay ngừng hoạt động muộn hơn, ghi đúng ngày đó (sau "
                 + $"{DateOnly.ParseExact(m.Groups[8].Value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture):dd/MM/yyyy})"),
        (new(@"^the change of unit (\S+) \((.*?)\) takes effect from (\S+), on or before the last day of (\S+) \((\S+)\), so it would change that period's figures: (.*); or, if the change came later, write the day it took effect in changed_on \(after (\S+)\)$", RegexOptions.Singleline),
            m => $"thay đổi của đơn vị {m.Groups[1]} ({UnitChangeDescribed(m.Groups[2].Value)}) "
                 + $"có hiệu lực từ {DateOnly.ParseExact(m.Groups[3].Value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture):dd/MM/yyyy}, không muộn hơn ngày cuối {PeriodInSentence(m.Groups[4].Value)}, "
                 + $"nên sẽ làm thay đổi số liệu của kỳ đó: {Translated(m.Groups[6].Value)}; hoặc, nếu thay đổi xảy ra muộn hơn, ghi ngày có hiệu lực vào cột changed_on (sau "
                 + $"{DateOnly.ParseExact(m.Groups[7].Value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture):dd/MM/yyyy})"),
        (ValueLock,
            m => $"số liệu {PeriodInSentence(m.Groups[1].Value)} của {m.Groups[8]} đã được ký duyệt bởi {CommitteeAct.NameOf(m.Groups[3].Value)} lúc {m.Groups[5]} ngày {m.Groups[4]} "
                 + (m.Groups["read"].Success
                     ? $"(giờ Việt Nam) nên các số liệu {PeriodInSentence(m.Groups[7].Value)} của đơn vị {m.Groups[6]} mà {PeriodInSentence(m.Groups[1].Value)} cộng dồn "
                       + $"với 6 tháng cuối năm{YearSums(m, vietnamese: true)}"
                     : $"(giờ Việt Nam) nên số liệu {PeriodInSentence(m.Groups[7].Value)} của đơn vị {m.Groups[6]}"
                       + (m.Groups[7].Value == m.Groups[1].Value ? "" : $", mà {PeriodInSentence(m.Groups[1].Value)} tổng hợp,"))
                 + (AlsoLocking(m) is { Count: > 0 } also
                     ? $" đã bị khóa, bởi cả ký duyệt {string.Join("; ", also.Select(a => $"{PeriodInSentence(a.Period)} của {a.Name} (bởi {CommitteeAct.NameOf(a.By)} lúc {a.Time} ngày {a.Day})"))}"
                       + $"; không có gì được lưu. Muốn sửa, cần Ban Chỉ đạo của {m.Groups[8]} và của {string.Join(", ", also.Select(a => a.Name))} "
                       + "đều mở lại kỳ đã ký duyệt (ghi rõ lý do; phải mở lại tất cả), rồi gửi lại"
                     : $" đã bị khóa; không có gì được lưu. Muốn sửa, cần một thành viên Ban Chỉ đạo của {m.Groups[8]} mở lại kỳ này (ghi rõ lý do), rồi gửi lại")),
        (new(@"^(\S+) of (\S+) was signed off by (.*) on (\d\d/\d\d/\d{4}) (\d\d:\d\d) \(Asia/Ho_Chi_Minh\), so the targets that judge it are locked: this set would change (.*?); nothing of this file was stored\. .*a committee member of \S+ \((.*)\) reopens it.*""from"": ""(\S+)"".*$", RegexOptions.Singleline),
            m => $"kết quả {PeriodInSentence(m.Groups[1].Value)} của {m.Groups[7]} đã được ký duyệt bởi {CommitteeAct.NameOf(m.Groups[3].Value)} lúc {m.Groups[5]} ngày {m.Groups[4]} "
                 + $"(giờ Việt Nam) nên các chỉ tiêu đánh giá kỳ này đã bị khóa; bộ chỉ tiêu này sẽ thay đổi {TargetChanges(m.Groups[6].Value)}; không có gì được lưu. "
                 + $"Muốn thay đổi cả {PeriodInSentence(m.Groups[1].Value)}, trước hết cần một thành viên Ban Chỉ đạo của {m.Groups[7]} mở lại kỳ này (ghi rõ lý do), rồi nhập lại tệp; "
                 + $"muốn thay đổi chỉ áp dụng sau kỳ này, ghi ngày hiệu lực cho thay đổi (\"from\": \"{m.Groups[8]}\" trong \"settings\" của chỉ tiêu, "
                 + $"hoặc một bộ chỉ tiêu có mã riêng với \"validFrom\": \"{m.Groups[8]}\")"),
        (new(@"^(\S+) of (\S+) was signed off by (.*) on (\d\d/\d\d/\d{4}) (\d\d:\d\d) \(Asia/Ho_Chi_Minh\), so where its units sit on (\S+) is locked: this file would move (.*?); nothing of this file was stored\. .*a committee member of \S+ \((.*)\) reopens it.*date the change from (\S+) .*$", RegexOptions.Singleline),
            m => $"kết quả {PeriodInSentence(m.Groups[1].Value)} của {m.Groups[8]} đã được ký duyệt bởi {CommitteeAct.NameOf(m.Groups[3].Value)} lúc {m.Groups[5]} ngày {m.Groups[4]} "
                 + $"(giờ Việt Nam) nên địa bàn của các đơn vị vào ngày cuối kỳ ({DateOnly.ParseExact(m.Groups[6].Value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture):dd/MM/yyyy}) đã bị khóa; tệp này sẽ chuyển {m.Groups[7].Value.Replace("nowhere", "không thuộc đâu", StringComparison.Ordinal)}; không có gì được lưu. "
                 + $"Muốn thay đổi cả {PeriodInSentence(m.Groups[1].Value)}, trước hết cần một thành viên Ban Chỉ đạo của {m.Groups[8]} mở lại kỳ này (ghi rõ lý do), rồi nhập lại tệp; "
                 + $"muốn thay đổi chỉ áp dụng sau kỳ này, ghi ngày hiệu lực từ {m.Groups[9]} (valid_from của quan hệ mới, effective_from của việc sáp nhập)"),
        (new(@"^has_trade_union is empty for the new unit (\S+); a (\S+) is counted .*$"),
            m => $"chưa ghi đơn vị mới {m.Groups[1]} có công đoàn hay không (cột has_trade_union); {UnitDescribed(m.Groups[2].Value)} chỉ được tính vào các chỉ tiêu "
                 + "của đơn vị có công đoàn khi có công đoàn, ô trống không có nghĩa là không: ghi \"có\" hoặc \"không\""),
        (new(@"^period is empty;.*$"), _ => "thiếu kỳ báo cáo; ghi mã kỳ, ví dụ 2025S1"),
        (new(@"^(\S+) is reported per (\S+), not per (\S+); use a period such as (.*)$"),
            m => $"chỉ tiêu {m.Groups[1]} báo cáo theo {Period(m.Groups[2].Value)}, không theo {Period(m.Groups[3].Value)}; dùng kỳ như {m.Groups[4].Value.Replace(" or ", " hoặc ", StringComparison.Ordinal)}"),
        (new(@"^the area (\S+) of unit (\S+) did not exist in (\S+) and has no successor;.*$"),
            m => $"địa bàn {m.Groups[1]} của đơn vị {m.Groups[2]} không tồn tại trong kỳ {m.Groups[3]}; sửa địa bàn của đơn vị"),
        (new(@"^unit (\S+) is not active in (\S+) \((.*)\); a value counts only .*$"),
            m => $"đơn vị {m.Groups[1]} không hoạt động trong kỳ {m.Groups[2]} ({m.Groups[3].Value.Replace("active to ", "hoạt động đến ", StringComparison.Ordinal)
                .Replace("active from ", "hoạt động từ ", StringComparison.Ordinal).Replace(" to ", " đến ", StringComparison.Ordinal)}); "
                 + "số liệu chỉ được tính cho kỳ mà đơn vị còn hoạt động vào ngày cuối kỳ: xóa dòng này, hoặc sửa ngày hoạt động của đơn vị"),
        (new(@"^unit (\S+) has a row already \(row (\d+)\); keep one row per unit$"), m => $"đơn vị {m.Groups[1]} đã có ở dòng {m.Groups[2]}; mỗi đơn vị chỉ một dòng"),
        (new(@"^the row has figures but no unit code;.*$"), _ => "dòng có số liệu nhưng không có mã đơn vị; ghi mã đơn vị (cột unit_code) hoặc xóa dòng"),
        (new(@"^'(.*)' labels a totals row, not a unit:.*$", RegexOptions.Singleline),
            m => $"dòng '{m.Groups[1]}' là dòng tổng, không phải một đơn vị (hệ thống tự cộng số liệu của các đơn vị khi đánh giá): xóa dòng này"),
        (new(@"^the cell holds (?:the formula (=.*)|a formula) with no computed result .*$", RegexOptions.Singleline),
            m => $"ô chứa công thức{(m.Groups[1].Success ? " " + m.Groups[1].Value : "")} chưa được tính (tệp do một chương trình ghi mà không tính công thức); "
                 + "mở tệp trong Excel hoặc LibreOffice, lưu lại (để công thức được tính) rồi gửi lại"),
        (new(@"^'(.*)' stands under no indicator.*$", RegexOptions.Singleline), m => $"'{m.Groups[1]}' nằm dưới một cột không có mã chỉ tiêu; xóa giá trị này"),
        (new(@"^'(.*)' in the code row is no indicator;.*$"), m => $"'{m.Groups[1]}' ở dòng mã không phải mã chỉ tiêu; không sửa dòng mã, tải lại mẫu"),
        (new(@"^(\S+) has two columns \((\S+) and (\S+)\); keep one$"), m => $"chỉ tiêu {m.Groups[1]} có hai cột ({m.Groups[2]} và {m.Groups[3]}); giữ một cột"),
        (new(@"^the code row has no 'period' column.*$"), _ => "dòng mã thiếu cột 'period' (kỳ báo cáo của từng dòng); tải lại mẫu"),
        (new(@"^the code holds (a space|an invisible character) \((U\+[0-9A-F]{4}[^)]*)\) (.*) \(character (\d+)\); retype the code$", RegexOptions.Singleline),
            m => $"mã chứa {(m.Groups[1].Value == "a space" ? "một dấu cách" : "một ký tự ẩn")} ({m.Groups[2]}) {Place(m.Groups[3].Value)} (ký tự thứ {m.Groups[4]}); gõ lại mã"),
        (new(@"^the code holds (a fullwidth digit|a fullwidth letter|a Greek letter|a Cyrillic letter|a digit other than 0-9|a compatibility letter|a letter outside the Latin alphabet) '(.+)' \((U\+[0-9A-F]{4})\) (.*) \(character (\d+)\); a code takes only .*$", RegexOptions.Singleline),
            m => $"mã chứa {LookAlike(m.Groups[1].Value)} '{m.Groups[2]}' ({m.Groups[3]}) {Place(m.Groups[4].Value)} (ký tự thứ {m.Groups[5]}); "
                 + "mã chỉ gồm chữ cái Latinh và chữ số 0-9, để không bị đọc nhầm thành mã khác: gõ lại mã"),
        (new(@"^'(.*)' is not a valid code;.*$", RegexOptions.Singleline), m => $"'{m.Groups[1]}' không phải mã hợp lệ; mã gồm chữ, số và - _ . /"),
        (new(@"^the file is not a readable XLSX workbook.*$", RegexOptions.Singleline), _ => "tệp không đọc được như bảng tính XLSX; lưu lại dạng .xlsx hoặc xuất ra CSV UTF-8"),
        (new(@"^the file is an Excel workbook, not a CSV file, though it was read as CSV.*$", RegexOptions.Singleline),
            _ => "tệp là bảng tính Excel, không phải tệp CSV, dù được đọc như CSV (tên tệp có đuôi .csv hoặc .txt, hoặc được gửi dạng text/csv): "
                 + "lưu lại dạng 'Excel Workbook (*.xlsx)' rồi nhập tệp .xlsx đó, hoặc trong Excel lưu lại dạng 'CSV UTF-8 (Comma delimited)'"),
        (new(@"^the file is an old Excel workbook \(\.xls, Excel 97-2003\).*$", RegexOptions.Singleline),
            _ => "tệp là bảng tính Excel cũ (.xls, Excel 97-2003), không đọc được; mở bằng Excel và lưu lại dạng 'Excel Workbook (*.xlsx)' hoặc 'CSV UTF-8 (Comma delimited)' "
                 + "(bảng tính đặt mật khẩu cũng có dạng này: lưu lại không đặt mật khẩu)"),
        (new(@"^sheet '(.*)' \(the first of the workbook's (\d+) sheets: (.*)\) was read, and only the first sheet is imported;.*$", RegexOptions.Singleline),
            m => $"đã đọc trang tính '{m.Groups[1]}' (trang đầu tiên trong {m.Groups[2]} trang của tệp: {m.Groups[3]}); chỉ trang đầu tiên được nhập: "
                 + "chuyển trang chứa số liệu lên đầu rồi lưu lại tệp"),
        (new(@"^the file is not UTF-8 text.*$"), _ => "tệp không phải văn bản UTF-8; lưu lại dạng 'CSV UTF-8' trong chương trình bảng tính"),
        (new(@"^a cell is (\d+) characters long; the limit is (\d+)$"), m => $"ô dài {m.Groups[1]} ký tự; tối đa {m.Groups[2]}"),
        (new(@"^unexpected column '(.*)'; the columns are (.*)$", RegexOptions.Singleline),
            m => $"cột '{m.Groups[1]}' không đúng mẫu; dùng mẫu tải từ hệ thống (dòng mã bắt đầu bằng unit_code) hoặc các cột {m.Groups[2]}"),
        (new(@"^column '(.*)' is missing; the columns are (.*)$"), m => $"thiếu cột '{m.Groups[1]}'; dùng mẫu tải từ hệ thống hoặc các cột {m.Groups[2]}"),
        (new(@"^column '(.*)' appears twice \(columns (\d+) and (\d+)\); keep one$"), m => $"cột '{m.Groups[1]}' xuất hiện hai lần (cột {m.Groups[2]} và {m.Groups[3]}); giữ một cột"),
        (new(@"^the file is empty; the first row must name the columns$"), _ => "tệp trống; dòng đầu tiên phải ghi tên các cột"),
        (new(@"^a quoted cell is never closed; add the closing '""'$"), _ => "một ô mở dấu ngoặc kép (\") mà không đóng; thêm dấu \" đóng"),
        (new(@"^a row runs past (\d+) characters without ending; a cell holds at most (\d+)$"), m => $"một dòng dài quá {m.Groups[1]} ký tự mà không kết thúc; mỗi ô tối đa {m.Groups[2]} ký tự"),
        (new(@"^a value '(.*)' stands under no column; remove it or name its column$", RegexOptions.Singleline),
            m => $"giá trị '{m.Groups[1]}' nằm dưới một cột không có tên; xóa giá trị này hoặc ghi tên cột"),
        (new(@"^the file holds NUL bytes \(byte (\d+)\):.*$", RegexOptions.Singleline),
            m => $"tệp chứa byte NUL (byte {m.Groups[1]}): có thể là văn bản UTF-16 không có BOM, hoặc không phải văn bản; lưu lại dạng 'CSV UTF-8' trong chương trình bảng tính"),
        (new(@"^the file starts as UTF-16 text but is not valid UTF-16 \(byte (\d+) cannot be read\);.*$"),
            m => $"tệp là văn bản UTF-16 nhưng không hợp lệ (không đọc được byte {m.Groups[1]}); lưu lại dạng 'CSV UTF-8' trong chương trình bảng tính"),
        // The limits a file is read within (ImportLimits) and the shapes of a JSON file.
        (new(@"^the first sheet is empty; its first row must name the columns$"), _ => "trang tính đầu tiên trống; dòng đầu tiên phải ghi tên các cột"),
        (new(@"^the workbook inflates to ([\d,.]+) bytes; the limit is ([\d,.]+):.*$"),
            m => $"bảng tính khi giải nén lên tới {N(m.Groups[1])} byte; tối đa {N(m.Groups[2])}: chỉ giữ các dòng cần nhập, hoặc xuất trang tính ra CSV UTF-8"),
        (new(@"^the (sheet|file) has a row ([\d,.]+); the limit is ([\d,.]+) rows$"),
            m => $"{(m.Groups[1].Value == "sheet" ? "trang tính" : "tệp")} có dòng {N(m.Groups[2])}; tối đa {N(m.Groups[3])} dòng: chia thành nhiều tệp"),
        (new(@"^the sheet has a cell in column ([\d,.]+); the limit is ([\d,.]+) columns$"),
            m => $"trang tính có ô ở cột thứ {N(m.Groups[1])}; tối đa {N(m.Groups[2])} cột: xóa các cột thừa sau dữ liệu"),
        (new(@"^the sheet holds more than ([\d,.]+) cells; the limit is ([\d,.]+): split the file$"),
            m => $"trang tính có hơn {N(m.Groups[1])} ô; tối đa {N(m.Groups[2])}: chia thành nhiều tệp"),
        (new(@"^the sheet declares ([\d,.]+) rows and ([\d,.]+) columns \((.*)\); the limits are ([\d,.]+) rows and ([\d,.]+) columns:.*$"),
            m => $"trang tính khai báo {N(m.Groups[1])} dòng và {N(m.Groups[2])} cột ({m.Groups[3]}); tối đa {N(m.Groups[4])} dòng và {N(m.Groups[5])} cột: "
                 + "xóa các dòng, cột trống sau dữ liệu, hoặc xuất trang tính ra CSV UTF-8"),
        (new(@"^a value of (\d+) characters stands under no column; remove it or name its column$"),
            m => $"một giá trị dài {m.Groups[1]} ký tự nằm dưới một cột không có tên; xóa giá trị này hoặc ghi tên cột"),
        (new(@"^the file is not valid JSON \(line (\d+), position (\d+)\): (.*)$", RegexOptions.Singleline),
            m => $"tệp không phải JSON hợp lệ (dòng {m.Groups[1]}, vị trí {m.Groups[2]}): {m.Groups[3]}"),
        (new(@"^(?:line (\d+): )?(?:a|the) (?:field name|text) holds an escape for half of a UTF-16 surrogate pair.*$"),
            m => $"{(m.Groups[1].Success ? $"dòng {m.Groups[1]}: " : "")}có mã thoát chỉ một nửa cặp ký tự UTF-16 (\\uD800-\\uDFFF đứng một mình); ghi đầy đủ ký tự"),
        (new(@"^the file must hold an array of objects.*$"), _ => "tệp phải chứa một mảng các đối tượng, mỗi đối tượng một dòng (hoặc một đối tượng có mảng đó trong trường \"rows\")"),
        (new(@"^each row must be an object such as (.*)$", RegexOptions.Singleline), m => $"mỗi dòng phải là một đối tượng, ví dụ {m.Groups[1]}"),
        (new(@"^a value must be a string, a number, true, false or null$"), _ => "giá trị phải là chuỗi, số, true, false hoặc null"),
        (new(@"^field '(.*)' is missing$"), m => $"thiếu trường '{m.Groups[1]}'; thêm trường này vào mỗi đối tượng"),
        (new(@"^unexpected field '(.*)'; the fields are (.*)$", RegexOptions.Singleline), m => $"trường '{m.Groups[1]}' không có trong mẫu; các trường là {m.Groups[2]}"),
        (new(@"^field '(.*)' appears twice in the object; keep one$"), m => $"trường '{m.Groups[1]}' xuất hiện hai lần trong đối tượng; giữ một"),
        (new(@"^the cell holds a NUL character \(U\+0000\).*$"), _ => "ô chứa ký tự NUL (U+0000), không phải văn bản; tệp có thể là UTF-16 hoặc nhị phân: lưu lại dạng 'CSV UTF-8'"),

        // The units, areas and lineage (qcdc import units, areas, lineage) and the cells they share.
        (new(@"^(\S+) is empty; fill it in$"), m => $"ô {m.Groups[1]} để trống; điền vào ô này"),
        (new(@"^the text is (\d+) characters long; the limit is (\d+)$"), m => $"nội dung dài {m.Groups[1]} ký tự; tối đa {m.Groups[2]}: rút gọn lại"),
        (new(@"^'(.*)' is not an e-mail address; write name@domain\.vn or leave it empty$", RegexOptions.Singleline),
            m => $"'{m.Groups[1]}' không phải địa chỉ thư điện tử; ghi dạng ten@tenmien.vn hoặc để trống"),
        (new(@"^'(.*)' is not a unit kind; write one of .*$", RegexOptions.Singleline),
            m => $"'{m.Groups[1]}' không phải loại đơn vị; ghi một trong XA (xã, phường), CQ (cơ quan), SN (đơn vị sự nghiệp), DNNN (doanh nghiệp nhà nước), "
                 + "DN (doanh nghiệp ngoài nhà nước), LL (lực lượng vũ trang), TH (thôn, tổ dân phố), MT (Mặt trận, đoàn thể), DV (ban dân vận)"),
        (new(@"^active_to (\S+) is before active_from (\S+)$"),
            m => $"ngày ngừng hoạt động (active_to) {m.Groups[1]} trước ngày bắt đầu hoạt động (active_from) {m.Groups[2]}; sửa một trong hai ngày"),
        (new(@"^unknown area (\S+); import it with 'qcdc import areas' first$"), m => $"không có địa bàn {m.Groups[1]}; nhập danh mục địa bàn trước (qcdc import areas), hoặc sửa mã địa bàn"),
        (new(@"^unknown area (\S+), or outside your area; you may import units of your own area only$"),
            m => $"không có địa bàn {m.Groups[1]}, hoặc địa bàn không thuộc phạm vi của bạn; chỉ nhập đơn vị thuộc địa bàn mình"),
        (new(@"^area (\S+) did not exist while the unit was active;.*$"),
            m => $"địa bàn {m.Groups[1]} không tồn tại trong thời gian đơn vị hoạt động; kiểm tra active_from, active_to hoặc thời gian hiệu lực của địa bàn"),
        (new(@"^duplicate row: unit (\S+) is already on row (\d+); keep one$"), m => $"đơn vị {m.Groups[1]} đã có ở dòng {m.Groups[2]}; mỗi đơn vị chỉ một dòng"),
        (new(@"^the code (\S+) cannot be used in your area;.*$"),
            m => $"mã {m.Groups[1]} không dùng được trong địa bàn của bạn; đặt cho đơn vị một mã riêng (bạn chỉ được sửa đơn vị thuộc địa bàn mình)"),
        (new(@"^valid_to (\S+) is before valid_from (\S+)$"),
            m => $"ngày hết hiệu lực (valid_to) {m.Groups[1]} trước ngày bắt đầu hiệu lực (valid_from) {m.Groups[2]}; sửa một trong hai ngày"),
        (new(@"^'(.*)' is not a level; write Province, District or Commune$", RegexOptions.Singleline),
            m => $"'{m.Groups[1]}' không phải cấp địa bàn; ghi tỉnh (Province), huyện (District) hoặc xã (Commune)"),
        (new(@"^area (\S+) is given another (name|level) than on row (\d+);.*$"),
            m => $"địa bàn {m.Groups[1]} có {(m.Groups[2].Value == "name" ? "tên" : "cấp")} khác với dòng {m.Groups[3]}; mỗi địa bàn chỉ có một tên và một cấp"),
        (new(@"^duplicate row: the same area and parent as row (\d+); remove one$"), m => $"dòng trùng: cùng địa bàn và cấp trên như dòng {m.Groups[1]}; xóa một dòng"),
        (new(@"^area (\S+) would have two parents at once \(this row and row (\d+) overlap\);.*$"),
            m => $"địa bàn {m.Groups[1]} sẽ có hai cấp trên cùng lúc (dòng này và dòng {m.Groups[2]} trùng thời gian); valid_to của một dòng phải trước valid_from của dòng kia"),
        (new(@"^area (\S+) is outside your area (\S+) \(or its code is taken outside it\);.*$"),
            m => $"địa bàn {m.Groups[1]} nằm ngoài địa bàn {m.Groups[2]} của bạn (hoặc mã đã được dùng ngoài địa bàn đó); chỉ sửa được địa bàn nằm trọn trong {m.Groups[2]} "
                 + "ở mọi thời điểm, và đặt cho địa bàn mới một mã riêng"),
        (new(@"^area (\S+) is your own area: only a national administrator changes its name, level, dates or links;.*$"),
            m => $"địa bàn {m.Groups[1]} là địa bàn của chính bạn: chỉ quản trị viên toàn quốc mới sửa được tên, cấp, thời gian hiệu lực hoặc cấp trên của nó; "
                 + "bỏ dòng của nó khỏi tệp, hoặc ghi đúng như đang lưu"),
        (new(@"^area (\S+) is your own area: only a national administrator merges it into another$"),
            m => $"địa bàn {m.Groups[1]} là địa bàn của chính bạn: chỉ quản trị viên toàn quốc mới sáp nhập được nó vào địa bàn khác"),
        (new(@"^only a national administrator creates a province; you may change areas inside (\S+)$"),
            m => $"chỉ quản trị viên toàn quốc mới tạo được tỉnh; bạn chỉ sửa được các địa bàn trong {m.Groups[1]}"),
        (new(@"^unknown area (\S+), or outside your area; import it first or add a row for it in this file$"),
            m => $"không có địa bàn {m.Groups[1]}, hoặc địa bàn không thuộc phạm vi của bạn; nhập địa bàn đó trước, hoặc thêm một dòng cho nó trong tệp này"),
        (new(@"^unknown area (\S+); import it first or add a row for it in this file$"),
            m => $"không có địa bàn {m.Groups[1]}; nhập địa bàn đó trước, hoặc thêm một dòng cho nó trong tệp này"),
        (new(@"^a (\S+) needs a parent_code \(its district or province\)$"), m => $"{Level(m.Groups[1].Value)} phải có cấp trên (parent_code): huyện hoặc tỉnh chứa nó"),
        (new(@"^a Province has no parent; leave parent_code empty$"), _ => "tỉnh không có cấp trên; để trống parent_code"),
        (new(@"^area (\S+) cannot be its own parent$"), m => $"địa bàn {m.Groups[1]} không thể là cấp trên của chính nó; sửa parent_code"),
        (new(@"^(\S+) is a (\S+) and cannot hold a (\S+);.*$"),
            m => $"{m.Groups[1]} là {Level(m.Groups[2].Value)} nên không thể chứa {Level(m.Groups[3].Value)}; xã thuộc huyện hoặc tỉnh, huyện thuộc tỉnh"),
        (new(@"^parent (\S+) exists only (from .+? to .+?), not over this link \((from .+ to .+)\); fix the dates$"),
            m => $"cấp trên {m.Groups[1]} chỉ tồn tại {Span(m.Groups[2].Value)}, không phủ hết thời gian của dòng này ({Span(m.Groups[3].Value)}); sửa ngày"),
        (new(@"^parent cycle: (.*); an area cannot be inside itself$"), m => $"vòng lặp cấp trên: {m.Groups[1]}; một địa bàn không thể nằm trong chính nó"),
        (new(@"^effective_from is empty; write the date the merger took effect$"), _ => "thiếu ngày hiệu lực (effective_from); ghi ngày việc sáp nhập có hiệu lực"),
        (new(@"^an area cannot succeed itself$"), _ => "một địa bàn không thể kế thừa chính nó; sửa mã địa bàn kế thừa (successor_code)"),
        (new(@"^duplicate row: the same merger as row (\d+)$"), m => $"dòng trùng: cùng việc sáp nhập như dòng {m.Groups[1]}; xóa một dòng"),
        (new(@"^successor (\S+) does not exist on (\S+)$"),
            m => $"địa bàn kế thừa {m.Groups[1]} không tồn tại vào ngày {m.Groups[2]}; sửa ngày hiệu lực (effective_from) hoặc thời gian hiệu lực của địa bàn"),
        (new(@"^unknown area (\S+), or outside your area; import the areas first$"),
            m => $"không có địa bàn {m.Groups[1]}, hoặc địa bàn không thuộc phạm vi của bạn; nhập danh mục địa bàn trước"),
        (new(@"^unknown area (\S+); import the areas first$"), m => $"không có địa bàn {m.Groups[1]}; nhập danh mục địa bàn trước (qcdc import areas)"),

        // A target set's (qcdc import targets, the what-if's proposal).
        (new(@"^unknown area (\S+); import the areas first, or give the code of an area that exists \((.*)\)$"),
            m => $"không có địa bàn {m.Groups[1]}; nhập danh mục địa bàn trước, hoặc ghi mã một địa bàn đã có ({(m.Groups[2].Value == "--scope" ? "--scope" : "trường \"scope\" của tệp")})"),
        (new(@"^target (\S+) is already defined by (\S+) \((?:national|scope (\S+))\), which binds an overlapping area and time; give this target a code of its own \(it may still reuse the rule with ""rule"": ""(.*)""\)$"),
            m => $"chỉ tiêu {m.Groups[1]} đã có trong bộ {m.Groups[2]} ({(m.Groups[3].Success ? $"phạm vi {m.Groups[3]}" : "toàn quốc")}), áp dụng trùng địa bàn và thời gian; đặt cho chỉ tiêu này một mã riêng (vẫn dùng lại được quy tắc bằng \"rule\": \"{m.Groups[4]}\")"),
        (new(@"^set (\S+) is stored as national \(it binds every area, (\S+) among them\): a copy for \S+ would remove it from every other area; .*""rule"": ""(.*)""\); to change the set itself, .*$"),
            m => $"bộ chỉ tiêu {m.Groups[1]} đang áp dụng toàn quốc (mọi địa bàn, kể cả {m.Groups[2]}): bản riêng cho {m.Groups[2]} sẽ gỡ bộ này khỏi mọi địa bàn khác; {m.Groups[2]} đã phải thực hiện bộ này. "
                 + $"Muốn có chỉ tiêu riêng của {m.Groups[2]}, đặt cho bộ của mình một mã riêng và cho các chỉ tiêu mã riêng, dùng lại quy tắc theo tên (\"rule\": \"{m.Groups[3]}\"); "
                 + "muốn sửa chính bộ này, nhập với phạm vi toàn quốc (\"scope\": \"national\")"),
        (new(@"^set (\S+) is stored for (\S+), which contains (\S+): a copy for \S+ would remove it from the rest of \S+; .*""rule"": ""(.*)""\); to change the set itself, .*$"),
            m => $"bộ chỉ tiêu {m.Groups[1]} đang áp dụng cho {m.Groups[2]}, bao gồm {m.Groups[3]}: bản riêng cho {m.Groups[3]} sẽ gỡ bộ này khỏi phần còn lại của {m.Groups[2]}; {m.Groups[3]} đã phải thực hiện bộ này. "
                 + $"Muốn có chỉ tiêu riêng của {m.Groups[3]}, đặt cho bộ của mình một mã riêng và cho các chỉ tiêu mã riêng, dùng lại quy tắc theo tên (\"rule\": \"{m.Groups[4]}\"); "
                 + $"muốn sửa chính bộ này, nhập với phạm vi {m.Groups[2]} (\"scope\": \"{m.Groups[2]}\")"),
        (new(@"^the set ends \(validTo (\S+)\) before it starts \(validFrom (\S+)\).*$"),
            m => $"bộ chỉ tiêu hết hiệu lực (validTo {m.Groups[1]}) trước khi bắt đầu (validFrom {m.Groups[2]}), nên không áp dụng cho kỳ nào; sửa một trong hai ngày"),
        (new(@"^'(.*)' can never be met: no share is more than 100%;.*$", RegexOptions.Singleline),
            m => $"ngưỡng '{m.Groups[1]}' không bao giờ đạt được: không tỷ lệ nào trên 100%; ghi \">=\" với \"100%\" (mọi đơn vị) hoặc một ngưỡng dưới 100%"),
        (new(@"^'(.*)' can never be met: no share is less than 0%;.*$", RegexOptions.Singleline),
            m => $"ngưỡng '{m.Groups[1]}' không bao giờ đạt được: không tỷ lệ nào dưới 0%; ghi \"<=\" với \"0%\" (không đơn vị nào) hoặc một ngưỡng trên 0%"),
        (new(@"^(\S+) is reported per half-year, not per quarter; a target over it can be evaluated on half-year and year periods.*$"),
            m => $"chỉ tiêu {m.Groups[1]} báo cáo theo 6 tháng, không theo quý; chỉ tiêu dựa trên nó đánh giá được theo kỳ 6 tháng và kỳ năm: ghi HalfYear (S1, S2), Year"),
        (new(@"^a field appears twice in one object \((.*)\); keep one$", RegexOptions.Singleline), m => $"một trường xuất hiện hai lần trong cùng một đối tượng ({m.Groups[1]}); chỉ giữ một"),
        (new(@"^the file is not a target set in JSON: (.*)$", RegexOptions.Singleline), m => $"tệp không phải bộ chỉ tiêu dạng JSON: {m.Groups[1]}"),
        (new(@"^targets is missing or empty;.*$"), _ => "thiếu danh sách chỉ tiêu (\"targets\"); liệt kê các chỉ tiêu của văn bản"),
        (new(@"^each target must be an object$"), _ => "mỗi chỉ tiêu phải là một đối tượng JSON { ... }"),
        (new(@"^duplicate target (\S+): already at position (\d+)$"), m => $"chỉ tiêu {m.Groups[1]} bị trùng: đã có ở vị trí {m.Groups[2]}"),
        (new(@"^scope is missing;.*$"), _ => "thiếu phạm vi (\"scope\"); ghi mã địa bàn mà bộ chỉ tiêu áp dụng (cả các địa bàn trực thuộc), hoặc \"national\" cho văn bản áp dụng toàn quốc"),
        (new(@"^'(.*)' is not an area code;.*$", RegexOptions.Singleline), m => $"'{m.Groups[1]}' không phải mã địa bàn; mã gồm chữ, số và - _ . /, hoặc \"national\""),
        (new(@"^legalBasis must be a list of (.*)$"), m => $"legalBasis phải là danh sách {m.Groups[1]}"),
        (new(@"^each legal basis must be an object with a text$"), _ => "mỗi căn cứ pháp lý phải là một đối tượng có \"text\""),
        (new(@"^(.*): validTo (\S+) is before validFrom (\S+)$", RegexOptions.Singleline), m => $"{m.Groups[1]}: validTo {m.Groups[2]} trước validFrom {m.Groups[3]}"),
        (new(@"^duties must be a list of (.*)$"), m => $"duties phải là danh sách {m.Groups[1]}"),
        (new(@"^each duty must be an object$"), _ => "mỗi nhiệm vụ báo cáo phải là một đối tượng JSON { ... }"),
        (new(@"^periods is missing; write the period types the duty is owed on: (.*)$"), m => $"thiếu \"periods\"; ghi các loại kỳ phải báo cáo: {m.Groups[1]}"),
        (new(@"^periods is missing; write the period types: (.*)$"), m => $"thiếu \"periods\"; ghi các loại kỳ: {m.Groups[1]}"),
        (new(@"^'(S1|S2)' alone is not a period type: a half-year target is judged on both halves of the year, never on one; write HalfYear \(or S1, S2\) or Year$"),
            m => $"'{m.Groups[1]}' đứng riêng không phải một loại kỳ: chỉ tiêu theo 6 tháng được đánh giá ở cả hai kỳ 6 tháng của năm, không chỉ một kỳ; ghi HalfYear (hoặc S1, S2) hoặc Year"),
        (new(@"^(\S+) is reported per (year|half-year); a duty to report it must be on those periods$"),
            m => $"chỉ tiêu {m.Groups[1]} báo cáo theo {Period(m.Groups[2].Value)}; nhiệm vụ báo cáo chỉ tiêu này phải theo các kỳ đó"),
        (new(@"^(\S+) is reported per year; a target over it can only be evaluated on year periods$"),
            m => $"chỉ tiêu {m.Groups[1]} báo cáo theo năm; chỉ tiêu dựa trên nó chỉ đánh giá được theo kỳ năm"),
        (new(@"^(\S+) units without a trade union cannot report (\S+) \(it applies to (.*)\)$"),
            m => $"đơn vị loại {m.Groups[1]} không có công đoàn không báo cáo chỉ tiêu {m.Groups[2]} (chỉ áp dụng cho {m.Groups[3]})"),
        (new(@"^(\S+) does not apply to (\S+) units without a trade union; the population must be among (\S+) \(write (\S+) for those with one\)$"),
            m => $"chỉ tiêu {m.Groups[1]} không áp dụng cho đơn vị loại {m.Groups[2]} không có công đoàn; đối tượng phải thuộc {m.Groups[3]} (ghi {m.Groups[4]} cho đơn vị có công đoàn)"),
        (new(@"^rule (\S+) tests (a yes/no|a ratio of two counts|no count); minimum does not apply.*$"),
            m => $"quy tắc {m.Groups[1]} kiểm tra {Tests(m.Groups[2].Value)}; không dùng \"minimum\": bỏ trường này (chỉ quy tắc kiểm tra số đếm, như COUNT-AT-LEAST, mới đọc số tối thiểu)"),
        (new(@"^(\S+) units cannot report (\S+) \(it applies to (.*)\)$"), m => $"đơn vị loại {m.Groups[1]} không báo cáo chỉ tiêu {m.Groups[2]} (chỉ áp dụng cho {m.Groups[3]})"),
        (new(@"^(\S+) does not apply to (\S+) units; the population must be among (.*)$"),
            m => $"chỉ tiêu {m.Groups[1]} không áp dụng cho đơn vị loại {m.Groups[2]}; đối tượng phải thuộc {m.Groups[3]}"),
        (new(@"^no rule is named (\S+);.*$", RegexOptions.Singleline),
            m => $"không có quy tắc tên {m.Groups[1]}; ghi tên một quy tắc có sẵn để dùng lại (\"rule\": \"NQ02-6b\", hoặc một dạng: YES-NO, COUNT-AT-LEAST, RATIO, YES-NO-AND-COUNT)"),
        (new(@"^measuredOver is missing;.*$"), _ => "thiếu \"measuredOver\"; ghi các cấp đánh giá: Unit, Commune, District, Province"),
        (new(@"^settings must be a list of .*$"), _ => "settings phải là danh sách { \"from\", \"to\" và điều thay đổi: operator, threshold, minimum, coverage, source, basis }"),
        (new(@"^each setting must be an object$"), _ => "mỗi mức áp dụng phải là một đối tượng JSON { ... }"),
        (new(@"^'(.*)' is not an operator;.*$", RegexOptions.Singleline), m => $"'{m.Groups[1]}' không phải phép so sánh; ghi >= (\"100%\", \"ít nhất\"), > (\"trên 70%\"), <= hoặc <"),
        (new(@"^threshold is missing;.*$"), _ => "thiếu ngưỡng (\"threshold\"); ghi tỷ lệ như trong văn bản, ví dụ \"100%\" hoặc 0.7"),
        (new(@"^'(.*)' is not a share between 0 and 100%; write e\.g\. ""70%"" or 0\.7 \(at most six decimals\)$", RegexOptions.Singleline),
            m => $"'{m.Groups[1]}' không phải tỷ lệ từ 0 đến 100%; ghi ví dụ \"70%\" hoặc 0.7 (tối đa sáu chữ số thập phân)"),
        (new(@"^'(.*)' is not a share between 0 and 100%; write the least share of units that must have reported.*$", RegexOptions.Singleline),
            m => $"'{m.Groups[1]}' không phải tỷ lệ từ 0 đến 100%; ghi tỷ lệ tối thiểu số đơn vị phải báo cáo, ví dụ \"95%\""),
        (new(@"^rule (\S+) tests a count: give the least count a unit must reach.*$"), m => $"quy tắc {m.Groups[1]} kiểm tra một số đếm: ghi số tối thiểu mỗi đơn vị phải đạt, ví dụ \"minimum\": 1"),
        (new(@"^a setting ends \((\S+)\) before it starts \((\S+)\)$"), m => $"một mức áp dụng kết thúc ({m.Groups[1]}) trước khi bắt đầu ({m.Groups[2]})"),
        (new(@"^two settings are in force on (\S+);.*$"), m => $"hai mức áp dụng cùng có hiệu lực ngày {m.Groups[1]}; \"from\" của mức sau phải sau \"to\" của mức trước"),
        (new(@"^'(.*)' is not a source;.*$", RegexOptions.Singleline),
            m => $"'{m.Groups[1]}' không phải nguồn; ghi law (luật, nghị định, quy định của Đảng), resolution (chính văn bản của bộ chỉ tiêu) hoặc committee (Ban Chỉ đạo tự đặt)"),
        (new(@"^'(.*)' is not a severity; write High, Medium or Low$", RegexOptions.Singleline), m => $"'{m.Groups[1]}' không phải mức độ; ghi High (cao), Medium (trung bình) hoặc Low (thấp)"),
        (new(@"^unexpected field '(.*)'$", RegexOptions.Singleline), m => $"trường '{m.Groups[1]}' không có trong mẫu; xóa trường này hoặc sửa tên"),
        (new(@"^the population is empty$"), _ => "đối tượng (\"population\") để trống; ghi loại đơn vị, ví dụ XA,CQ,SN"),
        (new(@"^unknown unit kind '(.*)' \(use (.*)\)$", RegexOptions.Singleline), m => $"không có loại đơn vị '{m.Groups[1]}' (dùng {m.Groups[2].Value.Replace(", a -CĐ suffix for 'with a trade union', or ", ", hậu tố -CĐ cho 'có công đoàn', hoặc ", StringComparison.Ordinal)})"),
        (new(@"^'(.*)' is not a date; write yyyy-mm-dd \((.*)\) or dd/mm/yyyy \((.*)\)$", RegexOptions.Singleline),
            m => $"'{m.Groups[1]}' không phải ngày; ghi yyyy-mm-dd ({m.Groups[2]}) hoặc dd/mm/yyyy ({m.Groups[3]})"),
        (new(@"^(\S+) is missing; write a date such as (.*)$"), m => $"thiếu {m.Groups[1]}; ghi ngày, ví dụ {m.Groups[2]}"),
        (new(@"^'(.*)' is not one of the (\S+) values$", RegexOptions.Singleline), m => $"'{m.Groups[1]}' không phải giá trị hợp lệ của {m.Groups[2]}"),
        (new(@"^(\S+) is (\d+) characters long; the limit is (\d+)$"), m => $"{m.Groups[1]} dài {m.Groups[2]} ký tự; tối đa {m.Groups[3]}"),
        (new(@"^(\S+) is missing$"), m => $"thiếu {m.Groups[1]}"),
    ];

    /// <summary>
    /// The problem's message in Vietnamese, without where it is (the cell, unit and indicator are said apart): with the
    /// browser's way out for a page, the command for the API's caller (<paramref name="surface"/>).
    /// </summary>
    public static string Vietnamese(ImportProblem problem, WordingSurface surface) => InItsFormat(problem, Vietnamese(Bare(problem), surface));

    /// <summary>
    /// The ways out a template's cell is told, its unit's row holding the unit's other figures, and what a row of a list (the
    /// long format, the entry form's JSON), which is the one value, is told instead: the message is written once, for the cell.
    /// </summary>
    private static readonly (string Cell, string Row)[] CellWaysOut =
    [
        (": để trống ô này", ": xóa dòng này"),
    ];

    /// <summary>The message with a list's row's way out where the problem is not a template's cell (<see cref="CellWaysOut"/>).</summary>
    private static string InItsFormat(ImportProblem problem, string message)
    {
        if (problem.Cell is not null && !problem.ByName)
            return message;
        foreach (var (cell, row) in CellWaysOut)
            message = message.Replace(cell, row, StringComparison.Ordinal);
        return message;
    }

    /// <summary>The problem's message in Vietnamese as a page says it (<see cref="WordingSurface.Browser"/>).</summary>
    public static string Vietnamese(ImportProblem problem) => Vietnamese(problem, WordingSurface.Browser);

    /// <summary>
    /// The problem's message as an English page says it, without where it is: what the engine wrote for a terminal (a
    /// sign-off's lock, with the key's principal, the time-zone id and the commands that reopen it; a period not begun,
    /// with the zone id) said as the page's own banner says it; any other message as the engine wrote it, its way out in
    /// the browser's terms (<see cref="WaysOut"/>).
    /// </summary>
    public static string English(ImportProblem problem) => English(Bare(problem));

    /// <summary>A message of the same checks met outside a file (a period typed in a page's address), as an English page says it.</summary>
    public static string English(string message)
    {
        if (ValueLock.Match(message) is { Success: true } m)
        {
            var (signed, period) = (m.Groups[1].Value, m.Groups[7].Value);
            return $"the figures of {m.Groups[8]} for {PeriodInEnglish(signed)} were signed off by {CommitteeAct.NameOf(m.Groups[3].Value)} at {m.Groups[5]} on {m.Groups[4]} "
                   + $"(Viet Nam time), so the values of unit {m.Groups[6]} for {PeriodInEnglish(period)}"
                   + (m.Groups["read"].Success ? $" that {PeriodInEnglish(signed)} adds to the second half's{YearSums(m, vietnamese: false)}"
                       : signed == period ? "" : $", which {PeriodInEnglish(signed)} reads,")
                   + (AlsoLocking(m) is { Count: > 0 } also
                       ? $" are locked, by the sign-off{(also.Count == 1 ? "" : "s")} of {string.Join("; ", also.Select(a => $"{a.Name} for {PeriodInEnglish(a.Period)} (by {CommitteeAct.NameOf(a.By)} at {a.Time} on {a.Day})"))} too; "
                         + $"nothing was stored. To change them, the committees of {m.Groups[8]} and of {string.Join(", ", also.Select(a => a.Name))} must each first reopen "
                         + "the period they signed off, with a reason (every one must be reopened); then send them again"
                       : $" are locked; nothing was stored. To change them, a committee member of {m.Groups[8]} must first reopen the period, with a reason; then send them again");
        }

        return InBrowser(TargetInEnglish.Replace(message, "$1").Replace(" (Asia/Ho_Chi_Minh)", " (Viet Nam time)", StringComparison.Ordinal));
    }

    /// <summary>
    /// The problem of a figure typed on a unit's entry form, as the form says it beside the field's label: the other figure
    /// of a pair named by its own field's label (<paramref name="label"/>, by indicator code), the period by name, numbers
    /// as the page's language writes them, and no file (a form is none); any other problem as a page says it.
    /// </summary>
    public static string OnForm(ImportProblem problem, ReportLanguage language, Func<string, string> label)
    {
        var message = Bare(problem);
        if (PeoplePair.Match(message) is not { Success: true } m)
            return language == ReportLanguage.En ? English(message) : Vietnamese(message);
        var words = ReportWording.For(language);
        var informed = m.Groups["code"].Value == "PEOPLE_INFORMED";
        var (figure, other) = (words.Format.Number(long.Parse(m.Groups["figure"].Value, CultureInfo.InvariantCulture)),
            words.Format.Number(long.Parse(m.Groups["other"].Value, CultureInfo.InvariantCulture)));
        var (otherLabel, stored, period) = (label(informed ? "PEOPLE_TO_INFORM" : "PEOPLE_INFORMED"), m.Groups["where"].Value == "stored", words.PeriodName(m.Groups["period"].Value));
        return words.T(
            $"{figure} {(informed ? "lớn hơn" : "nhỏ hơn")} “{otherLabel}” ({other}{(stored ? ", số đã lưu" : "")}) của {period}; {PeopleFix}",
            $"{figure} is {(informed ? "more" : "less")} than “{otherLabel}” ({other}{(stored ? ", stored" : "")}) for {period}; "
            + "the people informed are among the people to inform: correct one of the two figures");
    }

    /// <summary>The other sign-offs a value lock names (<see cref="SignOffLocks.Refusal(IReadOnlyList{SignOff}, Period, string, IReadOnlyCollection{string})"/>): the period, the area's name, who, the time and the day.</summary>
    private static List<(string Period, string Name, string By, string Time, string Day)> AlsoLocking(Match m) =>
        m.Groups["also"].Success
            ? AlsoSignOff.Matches(m.Groups["also"].Value).Select(a => (a.Groups[1].Value, a.Groups[2].Value, a.Groups[3].Value, a.Groups[5].Value, a.Groups[4].Value)).ToList()
            : [];

    private static readonly Regex AlsoSignOff = new(@"(\S+) of \S+ \((.*?)\), by (.*?) on (\d\d/\d\d/\d{4}) (\d\d:\d\d)");

    /// <summary>Whether the problem is a signed-off period's lock (<see cref="SignOffLocks.Refusal"/>): the whole period's, not a figure's.</summary>
    public static bool IsSignOffLock(ImportProblem problem) => ValueLock.IsMatch(Bare(problem));

    /// <summary>The message without the unit and indicator a filled template's problem starts with (they are said apart).</summary>
    private static string Bare(ImportProblem problem)
    {
        var message = problem.Message;
        var about = (problem.Unit, problem.Indicator) switch
        {
            ({ } u, { } i) => $"{u}, {i}: ",
            ({ } u, null) => $"{u}: ",
            (null, { } i) => $"{i}: ",
            _ => "",
        };
        return about.Length > 0 && message.StartsWith(about, StringComparison.Ordinal) ? message[about.Length..] : message;
    }

    /// <summary>
    /// A message of the same checks met outside a file (a period typed in a page's address: not one, not begun) in
    /// Vietnamese, its way out for the <paramref name="surface"/>; one it does not know stays in English.
    /// </summary>
    public static string Vietnamese(string message, WordingSurface surface) =>
        surface == WordingSurface.Browser ? InBrowser(Translated(message)) : Translated(message);

    /// <summary>The same as a page says it (<see cref="WordingSurface.Browser"/>).</summary>
    public static string Vietnamese(string message) => Vietnamese(message, WordingSurface.Browser);

    private static string Translated(string message)
    {
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

    /// <summary>Where the problem is, as an English page says it: "cell 'Số liệu'!F7, unit XA1, indicator DIALOGUE_CONFERENCES", or "row 7, column value".</summary>
    public static string WhereInEnglish(ImportProblem problem)
    {
        var parts = new List<string>();
        if (problem.Cell is { } cell)
            parts.Add(cell.Contains('!', StringComparison.Ordinal) ? $"cell {cell}" : $"row {problem.Row}, column {cell.Split(':')[^1]}");
        else if (problem.Row > 0)
            parts.Add(problem.Column.Length > 0 ? $"row {problem.Row}, column {problem.Column}" : $"row {problem.Row}");
        if (problem.Unit is { } unit)
            parts.Add($"unit {unit}");
        if (problem.Indicator is { } indicator)
            parts.Add($"indicator {indicator}");
        return parts.Count == 0 ? "the file" : string.Join(", ", parts);
    }

    /// <summary>A number as the English message writes it (1,048,576) as Vietnamese does (1.048.576).</summary>
    private static string N(Group english) => english.Value.Replace(',', '.');

    /// <summary>A figure of the English message (1234567) as Vietnamese writes it (1.234.567).</summary>
    private static string Figure(Group digits) => DisplayFormat.Vietnamese.Number(long.Parse(digits.Value, CultureInfo.InvariantCulture));

    /// <summary>Where the other figure of a pair is, in Vietnamese.</summary>
    private static string OtherFigure(string english) => english == "stored" ? "đã lưu" : "trong tệp này";

    /// <summary>"after 'XA1'", "between 'XA' and '1'" in Vietnamese.</summary>
    private static string Place(string english) => english switch
    {
        _ when english.StartsWith("after ", StringComparison.Ordinal) => "sau " + english[6..],
        _ when english.StartsWith("before ", StringComparison.Ordinal) => "trước " + english[7..],
        _ when english.StartsWith("between ", StringComparison.Ordinal) => "giữa " + english[8..].Replace("' and '", "' và '", StringComparison.Ordinal),
        _ => "đứng một mình",
    };

    /// <summary>"a Cyrillic letter" in Vietnamese.</summary>
    private static string LookAlike(string english) => english switch
    {
        "a fullwidth digit" => "chữ số toàn độ rộng (fullwidth)",
        "a fullwidth letter" => "chữ cái toàn độ rộng (fullwidth)",
        "a Greek letter" => "chữ cái Hy Lạp",
        "a Cyrillic letter" => "chữ cái Kirin (Cyrillic)",
        "a digit other than 0-9" => "chữ số không thuộc 0-9",
        "a compatibility letter" => "chữ cái dạng tương thích (compatibility)",
        _ => "chữ cái không thuộc bảng chữ Latinh",
    };

    private static string Level(string english) => english switch
    {
        "Province" => "tỉnh",
        "District" => "huyện",
        "Commune" => "xã",
        _ => english,
    };

    /// <summary>"from 2020-01-01 to now" in Vietnamese.</summary>
    private static string Span(string english) =>
        english.Replace("from the start", "từ đầu", StringComparison.Ordinal).Replace("to now", "đến nay", StringComparison.Ordinal)
            .Replace("from ", "từ ", StringComparison.Ordinal).Replace(" to ", " đến ", StringComparison.Ordinal);

    /// <summary>"NonStateEnterprise, no trade union" (a unit as the English message describes it) in Vietnamese words.</summary>
    private static string UnitDescribed(string english)
    {
        var (kind, union) = english.IndexOf(", ", StringComparison.Ordinal) is var comma and >= 0 ? (english[..comma], english[(comma + 2)..]) : (english, "");
        var named = Enum.TryParse<UnitKind>(kind, out var k) && Enum.IsDefined(k) ? Words.KindOfUnit(k) : kind;
        return union switch
        {
            "no trade union" => $"{named}, không có công đoàn",
            "with a trade union" => $"{named}, có công đoàn",
            _ => named,
        };
    }

    /// <summary>The catalogue's kind tokens ("XA", "DNNN,DN-CĐ", "*") in Vietnamese words.</summary>
    private static string KindsNamed(string tokens) => string.Join("; ", tokens.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(token =>
    {
        if (token == "*")
            return "mọi loại hình đơn vị";
        var union = token.EndsWith("-CĐ", StringComparison.Ordinal) || token.EndsWith("-CD", StringComparison.Ordinal);
        var bare = union ? token[..^3] : token;
        var kind = Enum.GetValues<UnitKind>().Where(k => Population.TokenOf(k) == bare).Select(k => (UnitKind?)k).FirstOrDefault();
        var named = kind is { } found ? Words.KindName(found) : bare;
        return union ? $"{named} có công đoàn" : named;
    }));

    /// <summary>What a target-set import would change of a signed-off period (<c>Import.SignedTargets</c> writes it), in Vietnamese.</summary>
    /// <summary>"area D1 -> C3, trade union no -> yes" in Vietnamese.</summary>
    private static string UnitChangeDescribed(string english) =>
        Regex.Replace(Regex.Replace(english.Replace("area ", "địa bàn ", StringComparison.Ordinal).Replace("kind ", "loại hình ", StringComparison.Ordinal)
            .Replace("trade union ", "công đoàn ", StringComparison.Ordinal).Replace(" -> ", " → ", StringComparison.Ordinal), @"\byes\b", "có"), @"\bno\b", "không");

    private static string TargetChanges(string english) => string.Join("; ", english.Split("; ").Select(change =>
    {
        static string Target(Match m)
        {
            // The target by its Vietnamese name as a sentence carries it ("chỉ tiêu 6b (thỏa ước …)", "chỉ tiêu tỷ lệ hòa giải thành"), then its code.
            var phrase = Words.Phrase(m.Groups[m.Groups["vi"].Success ? "vi" : "name"].Value, inSentence: true);
            return (phrase.StartsWith("chỉ tiêu", StringComparison.Ordinal) ? phrase : $"chỉ tiêu {phrase}")
                   + $" ({m.Groups["code"]}" + (m.Groups["over"].Success ? $", áp dụng cho {m.Groups["over"]})" : ")");
        }

        const string name = TargetNamed;
        if (Regex.Match(change, $@"^target {name} \((?<what>added|removed)\)$") is { Success: true } added)
            return $"{(added.Groups["what"].Value == "added" ? "thêm" : "bỏ")} {Target(added)}";
        if (Regex.Match(change, $@"^the (?<fields>.+) of {name}$") is { Success: true } fields)
            return string.Join(", ", fields.Groups["fields"].Value.Split(", ").Select(FieldNamed)) + " của " + Target(fields);
        return Regex.Match(change, @"^what units must report for (\S+)$") is { Success: true } duty ? $"số liệu các đơn vị phải báo cáo theo {duty.Groups[1]}" : change;
    }));

    /// <summary>A target as <c>Import.SignedTargets</c> names it: “English name” (“Vietnamese name”, CODE, bound to AREA), the two last optional.</summary>
    private const string TargetNamed = @"“(?<name>[^”]*)” \((?:“(?<vi>[^”]*)”, )?(?<code>[^,\s)]+)(?:, bound to (?<over>[^)\s]+))?\)";

    /// <summary>The same, its Vietnamese name left out: what an English page says (<see cref="English(string)"/>).</summary>
    private static readonly Regex TargetInEnglish = new(@"(“[^”]*” \()“[^”]*”, ");

    private static string FieldNamed(string field) => field switch
    {
        "rule" => "quy tắc",
        "set" => "bộ chỉ tiêu",
        "indicators" => "số liệu được đọc",
        "population" => "đối tượng",
        "operator" => "phép so sánh",
        "threshold" => "ngưỡng",
        "minimum" => "số tối thiểu",
        "coverage" => "tỷ lệ báo cáo tối thiểu",
        "measuredOver" => "cấp đánh giá",
        "periods" => "kỳ đánh giá",
        "severity" => "mức độ",
        "settings" => "các mức áp dụng",
        _ => field,
    };

    private static readonly ReportWording Words = ReportWording.For(ReportLanguage.Vi);

    /// <summary>A period code as a sentence names it: "6 tháng đầu năm 2020", "năm 2020"; the code if it is not one.</summary>
    private static string PeriodInSentence(string code) => Words.PeriodName(code);

    /// <summary>A period code as an English sentence names it: "the first half of 2020".</summary>
    private static string PeriodInEnglish(string code) => ReportWording.English.PeriodName(code);

    private static string Period(string english) => english switch
    {
        "year" => "năm",
        "half-year" => "6 tháng",
        "quarter" => "quý",
        _ => english,
    };

    /// <summary>What a rule that tests no count tests, as the target import's refusal of a minimum names it.</summary>
    private static string Tests(string english) => english switch
    {
        "a yes/no" => "một chỉ tiêu có/không",
        "a ratio of two counts" => "tỷ lệ giữa hai số đếm",
        _ => "không phải số đếm",
    };
}

/// <summary>Where a message is read: a terminal or a program (the CLI, the API) is told the command that fixes it, a page in the browser its own way out.</summary>
public enum WordingSurface
{
    Terminal,
    Browser,
}
