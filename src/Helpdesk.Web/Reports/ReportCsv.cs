using System.Globalization;
using CsvHelper;
using Helpdesk.Core.Reports;

namespace Helpdesk.Web.Reports;

/// <summary>
/// A report table as CSV through CsvHelper: UTF-8 with a byte-order mark (without it Excel reads
/// the file as the local ANSI code page and the Chinese headings come out garbled), a header row
/// in the asked language, one row per day, invariant numbers, empty cells for "nothing measured".
/// </summary>
public static class ReportCsv
{
    private static readonly CsvWriterOptions Options = new()
    {
        WriteByteOrderMark = true,
        NewLine = "\r\n",
        FormatProvider = CultureInfo.InvariantCulture,
    };

    public static byte[] Write(ReportTable table, bool chinese)
    {
        using var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, Options, true))
        {
            csv.WriteField(ReportLabels.Of("date", chinese));
            foreach (var column in table.Columns) csv.WriteField(ReportLabels.Of(column, chinese));
            csv.EndRecord();
            foreach (var row in table.Rows)
            {
                csv.WriteField(row.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                foreach (var value in row.Values) csv.WriteField(value?.ToString("0.####", CultureInfo.InvariantCulture) ?? "");
                csv.EndRecord();
            }
        }
        return buffer.ToArray();
    }
}

/// <summary>Column headings of the CSV files (the JSON keeps the column keys; the page has its own words in i18n.js).</summary>
public static class ReportLabels
{
    private static readonly Dictionary<string, (string En, string Zh)> Labels = new(StringComparer.Ordinal)
    {
        ["date"] = ("Date", "日期"),
        ["total"] = ("Total", "合计"),
        ["Chat"] = ("Chat", "在线会话"),
        ["Email"] = ("Email", "邮件"),
        ["WebForm"] = ("Web form", "网页表单"),
        ["Api"] = ("API", "API"),
        ["Phone"] = ("Phone", "电话"),
        ["count"] = ("Tickets", "工单数"),
        ["p50Seconds"] = ("P50 (seconds)", "P50（秒）"),
        ["p90Seconds"] = ("P90 (seconds)", "P90（秒）"),
        ["issued"] = ("Surveys sent", "已发送调查"),
        ["answered"] = ("Answers", "已回答"),
        ["satisfied"] = ("Satisfied (4-5 stars)", "满意（4-5星）"),
        ["csat"] = ("CSAT", "满意度"),
        ["averageScore"] = ("Average score", "平均分"),
        ["target"] = ("Target", "目标"),
        ["None"] = ("No category", "未分类"),
        ["ReturnExchange"] = ("Return/exchange", "退换货"),
        ["Repair"] = ("Repair", "维修"),
        ["Refund"] = ("Refund", "退款"),
        ["OrderException"] = ("Order exception", "订单异常"),
        ["TechnicalSupport"] = ("Technical support", "技术支持"),
        ["ServiceAttitude"] = ("Service attitude", "服务态度"),
        ["firstResponseMet"] = ("First response met", "首次响应达标"),
        ["firstResponseBreached"] = ("First response breached", "首次响应超时"),
        ["nextResponseMet"] = ("Next response met", "后续响应达标"),
        ["nextResponseBreached"] = ("Next response breached", "后续响应超时"),
        ["resolutionMet"] = ("Resolution met", "解决达标"),
        ["resolutionBreached"] = ("Resolution breached", "解决超时"),
        ["compliance"] = ("Compliance", "达标率"),
    };

    public static string Of(string column, bool chinese) =>
        Labels.TryGetValue(column, out var label) ? (chinese ? label.Zh : label.En) : column;
}
