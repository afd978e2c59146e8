using System.Globalization;
using System.Text;
using QcdcCompliance.Domain;
using QcdcCompliance.Reports;

namespace QcdcCompliance.Alerts;

/// <summary>
/// How e-mails write numbers, dates and times: the Vietnamese way (1.327.453; 72,5%; 29/07/2020), times in
/// Asia/Ho_Chi_Minh whatever the server's zone.
/// </summary>
public static class Vietnamese
{
    public static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("vi-VN");

    public static readonly TimeZoneInfo TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");

    public static string Number(long value) => DisplayFormat.Vietnamese.Number(value);

    /// <summary>A share as the reports and the dashboard write it (<see cref="DisplayFormat"/>: 73,8%; 99,97% never reads 100%).</summary>
    public static string Percent(long numerator, long denominator) => DisplayFormat.Vietnamese.Percent(numerator, denominator);

    /// <summary>A share beside the threshold it is judged by, kept on its side of it (69,9% for 2.333/3.333 against ≥ 70%).</summary>
    public static string Percent(long numerator, long denominator, Threshold? beside) => DisplayFormat.Vietnamese.Percent(numerator, denominator, beside);

    public static string Date(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    public static DateTime Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), TimeZone);

    public static DateOnly LocalDate(DateTime utc) => DateOnly.FromDateTime(Local(utc));

    /// <summary>"14:05 ngày 27/11/2026".</summary>
    public static string Time(DateTime utc) => Local(utc).ToString("HH:mm 'ngày' dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>A period as committees name it: "6 tháng đầu năm 2020", "năm 2020".</summary>
    public static string Period(Period period) => ReportWording.Vietnamese.PeriodName(period);

    /// <summary>A stored period code in words ("2024S2": "6 tháng cuối năm 2024"); the code itself when it is not one.</summary>
    public static string Period(string code) => PeriodCode.TryParseStored(code, out var p)
        ? Period(new Period { Code = code, Type = p.Type, Year = p.Year, Number = p.Number })
        : code;

    /// <summary>Closing words and the signature of the committee's standing office.</summary>
    public static MailBody Signed(this MailBody body, AlertOptions options) => body.Signed(options.Signature);

    public static MailBody Signed(this MailBody body, string signature) => body.Paragraph("Trân trọng.").Paragraph(signature);

    /// <summary>A threshold as a committee writes it: "≥ 100%", "> 70%" (<see cref="DisplayFormat.Threshold"/>).</summary>
    public static string Threshold(ComparisonOperator op, long millionths) => DisplayFormat.Vietnamese.Threshold(op, millionths);

    public static string Severity(Severity severity) => FindingExplanation.SeverityVi(severity);

    /// <summary>Composed text, as every stored and sent text is: NFC. Checked first: what the product writes already is, and checking costs less than composing again.</summary>
    public static string Nfc(string text) => text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
}
