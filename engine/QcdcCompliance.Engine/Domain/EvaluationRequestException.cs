namespace QcdcCompliance.Domain;

/// <summary>
/// A request that cannot be evaluated or answered as asked (unknown period or area): the user's to fix. Where the place
/// that refuses it words it in Vietnamese too, <see cref="MessageVi"/> has it (the API's problem in Vietnamese).
/// </summary>
public class EvaluationRequestException(string message, string? messageVi = null) : Exception(message)
{
    public string? MessageVi { get; } = messageVi;

    /// <summary>The English a terminal and the API say after the Vietnamese: the message, unless a refusal holds both in it.</summary>
    public virtual string MessageEn => Message;

    /// <summary>
    /// The Vietnamese as a sentence, capitalised and ended ("Không có địa bàn ZZ9."): the command line's first line, a
    /// page's message; null when the refusal has no Vietnamese.
    /// </summary>
    public string? SentenceVi => MessageVi is null ? null : Sentence(MessageVi);

    /// <summary>A refusal's clause as a sentence: its first letter in upper case as Vietnamese writes it, and a full stop.</summary>
    public static string Sentence(string clause) =>
        (clause.Length == 0 ? "" : char.ToUpper(clause[0], System.Globalization.CultureInfo.GetCultureInfo("vi-VN")) + clause[1..]) + (clause.EndsWith('.') ? "" : ".");
}

/// <summary>
/// An area code that no stored area has: the one sentence, in English and Vietnamese, of every place that looks an area
/// up by the code a user wrote (an evaluation, a sign-off, a template, a trend, a what-if, the findings and compliance reads).
/// </summary>
public sealed class UnknownAreaException(string code) : EvaluationRequestException($"unknown area {code}", $"không có địa bàn {code}")
{
    public string Code { get; } = code;
}

/// <summary>A period code that is not a year or a half-year (<see cref="PeriodCode.Hint"/>), as every verb, page and call refuses it.</summary>
public sealed class NotAPeriodException(string code) : EvaluationRequestException($"'{code}' is not a period; {PeriodCode.Hint}",
    $"'{code}' không phải mã kỳ; hãy viết 2020 (năm), 2020S1 hoặc 2020S2 (6 tháng)")
{
    public string Code { get; } = code;
}

/// <summary>
/// A period asked of the stored results that none has (never evaluated, or not a period code): the one sentence, in
/// English and Vietnamese, of the findings and compliance reads.
/// </summary>
public sealed class PeriodNotEvaluatedException(string code) : EvaluationRequestException($"period {code} has not been evaluated (or is not a period code)",
    $"kỳ {code} chưa được đánh giá (hoặc đây không phải mã kỳ): hãy đánh giá kỳ này trước (qcdc evaluate --period {code}), hoặc kiểm tra lại mã kỳ")
{
    public string Code { get; } = code;
}

/// <summary>A target code that no target set the principal may know defines: a request's to fix, naming the code as written.</summary>
public sealed class UnknownTargetException(string code) : EvaluationRequestException($"unknown target {code}", $"không có chỉ tiêu {code}")
{
    public string Code { get; } = code;
}

/// <summary>
/// An area that lies in no province on a period's last day (made after it, or cut from the tree by then): its period is
/// not evaluated, signed off or templated. The one sentence, in English and Vietnamese, of the evaluation, the sign-off,
/// the template and <c>POST /api/evaluations</c>.
/// </summary>
public sealed class AreaOutsideProvincesException(Area area, Period period) : EvaluationRequestException(
    $"area {area.Code} is not in any province on {period.End:yyyy-MM-dd} (the end of {period.Code})",
    $"địa bàn {area.Name} ({area.Code}) không thuộc tỉnh nào vào ngày {period.End.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture)} (ngày cuối kỳ {period.Code})")
{
    /// <summary>The province the area lies in on the period's last day, the scope of the period's run over it; null when it lies in none.</summary>
    public static Area? ProvinceOn(AreaTree tree, Area area, Period period) => tree.ProvinceOn(area.Id, period.End);

    /// <summary>The province the area lies in on the period's last day; refused when it lies in none.</summary>
    public static Area ProvinceOf(AreaTree tree, Area area, Period period) => ProvinceOn(tree, area, period) ?? throw new AreaOutsideProvincesException(area, period);
}
