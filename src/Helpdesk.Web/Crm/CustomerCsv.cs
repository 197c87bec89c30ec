using System.Globalization;
using System.Text;
using CsvHelper;
using Helpdesk.Core.Crm;
using Helpdesk.Core.Customers;
using Helpdesk.Data;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Crm;

public sealed record CsvRowError(int Row, string? Key, IReadOnlyList<string> Errors);
public sealed record CsvImportReport(string Kind, bool DryRun, int Rows, int Created, int Updated, int Unchanged, int Invalid, IReadOnlyList<CsvRowError> Errors);

/// <summary>
/// Customers and contacts as CSV (CsvHelper). Export is UTF-8 with a BOM so Excel opens Chinese
/// text right. Import takes English or Chinese headers (<see cref="CustomerColumns"/>,
/// <see cref="ContactColumns"/>), checks every row with the CRM rules, and reports bad rows by
/// their line in the file; good rows are written unless it is a dry run.
/// </summary>
public sealed class CustomerCsv(HelpdeskDbContext db, TimeProvider clock)
{
    public static readonly IReadOnlyList<(string Field, string English, string Chinese)> CustomerColumns =
    [
        ("externalId", "ExternalId", "外部编号"), ("name", "Name", "客户名称"), ("surname", "Surname", "姓"), ("gender", "Gender", "性别"),
        ("email", "Email", "邮箱"), ("phone", "Phone", "电话"), ("mobile", "Mobile", "手机"), ("region", "Region", "地区"),
        ("tier", "Tier", "客户等级"), ("credit", "Credit", "信用度"), ("accountManager", "AccountManager", "客户经理"), ("companyGroup", "CompanyGroup", "所属集团"),
    ];

    public static readonly IReadOnlyList<(string Field, string English, string Chinese)> ContactColumns =
    [
        ("customerExternalId", "CustomerExternalId", "客户外部编号"), ("customerEmail", "CustomerEmail", "客户邮箱"),
        ("externalId", "ContactExternalId", "联系人编号"), ("name", "Name", "姓名"), ("gender", "Gender", "性别"), ("position", "Position", "职位"),
        ("phone", "Phone", "电话"), ("mobile", "Mobile", "手机"), ("notes", "Notes", "备注"),
    ];

    private static readonly Dictionary<string, string> ChineseGender = new() { [nameof(Gender.Male)] = "男", [nameof(Gender.Female)] = "女", [nameof(Gender.Unknown)] = "" };

    public async Task<byte[]> ExportAsync(string kind, bool chineseHeaders, CancellationToken ct)
    {
        await using var buffer = new MemoryStream();
        // A BOM so Excel reads UTF-8; formulas (=, +, -, @ first) escaped so a cell cannot run as one.
        await using (var csv = CsvWriter.Create(buffer, new CsvWriterOptions { WriteByteOrderMark = true, Injection = CsvInjection.Escape }, leaveOpen: true))
        {
            var columns = kind == "contacts" ? ContactColumns : CustomerColumns;
            foreach (var c in columns) csv.WriteField(chineseHeaders ? c.Chinese : c.English);
            await csv.EndRecordAsync(ct);
            var customers = db.Customers.AsNoTracking().Where(c => c.MergedIntoId == null).OrderBy(c => c.Id);
            if (kind == "contacts")
            {
                await foreach (var c in customers.Include(c => c.Contacts).AsAsyncEnumerable().WithCancellation(ct))
                foreach (var p in c.Contacts.OrderBy(p => p.Id))
                {
                    foreach (var v in new[] { c.ExternalId, c.Email, p.ExternalId, p.Name, GenderText(p.Gender, chineseHeaders), p.Position, p.Phone, p.Mobile, p.Notes })
                        csv.WriteField(v ?? "");
                    await csv.EndRecordAsync(ct);
                }
            }
            else
            {
                await foreach (var c in customers.AsAsyncEnumerable().WithCancellation(ct))
                {
                    foreach (var v in new[] { c.ExternalId, c.Name, c.Surname, GenderText(c.Gender, chineseHeaders), c.Email, c.Phone, c.Mobile, c.Region,
                                 chineseHeaders ? CustomerRecordRules.TierLabel(c.Tier) : c.Tier.ToString(), c.Credit.ToString(CultureInfo.InvariantCulture), c.AccountManager, c.CompanyGroup })
                        csv.WriteField(v ?? "");
                    await csv.EndRecordAsync(ct);
                }
            }
        }
        return buffer.ToArray();
    }

    private static string GenderText(Gender g, bool chinese) => chinese ? ChineseGender[g.ToString()] : g.ToString();

    /// <summary>Null with a message when the file itself is unusable (no header, an unknown column, too many rows).</summary>
    public async Task<(CsvImportReport? Report, string? FileError)> ImportAsync(string kind, Stream body, bool dryRun, int maxRows, CancellationToken ct)
    {
        var columns = kind == "contacts" ? ContactColumns : CustomerColumns;
        // UTF-8 (a BOM is skipped); the separator is detected (Excel writes ';' in some locales).
        await using var csv = CsvReader.Create(body, new CsvReaderOptions { TrimWhitespace = true, TrackLineNumbers = true }, leaveOpen: true);
        await csv.ReadHeaderAsync(ct);
        var header = csv.Headers;
        if (header.Count == 0 || header.All(string.IsNullOrWhiteSpace))
            return (null, "The file is empty; the first line must name the columns.");
        var map = new Dictionary<int, string>();
        for (var i = 0; i < header.Count; i++)
        {
            var h = header[i].Trim().TrimStart('\uFEFF');
            var column = columns.FirstOrDefault(c => string.Equals(c.English, h, StringComparison.OrdinalIgnoreCase) || c.Chinese == h || string.Equals(c.Field, h, StringComparison.OrdinalIgnoreCase));
            if (column.Field is null)
                return (null, $"Unknown column '{h}'. Columns: {string.Join(", ", columns.Select(c => $"{c.English} ({c.Chinese})"))}.");
            map[i] = column.Field;
        }
        var rows = new List<(int Line, Dictionary<string, string?> Values)>();
        while (await csv.ReadAsync(ct))
        {
            if (rows.Count >= maxRows)
                return (null, $"At most {maxRows} rows per file; split it.");
            var values = new Dictionary<string, string?>();
            foreach (var (index, field) in map)
            {
                var v = index < csv.FieldCount ? csv.GetString(index) : null;
                values[field] = string.IsNullOrWhiteSpace(v) ? null : v.Trim();
            }
            if (values.Values.All(v => v is null)) continue;
            rows.Add(((int)csv.LineNumber, values));
        }
        return (kind == "contacts" ? await ImportContactsAsync(rows, dryRun, ct) : await ImportCustomersAsync(rows, dryRun, ct), null);
    }

    private async Task<CsvImportReport> ImportCustomersAsync(List<(int Line, Dictionary<string, string?> V)> rows, bool dryRun, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var externalIds = rows.Select(r => r.V.GetValueOrDefault("externalId")).OfType<string>().Distinct().ToList();
        var emails = rows.Select(r => r.V.GetValueOrDefault("email")?.ToLowerInvariant()).OfType<string>().Distinct().ToList();
        var existing = await db.Customers.Where(c => c.MergedIntoId == null && ((c.ExternalId != null && externalIds.Contains(c.ExternalId)) || (c.Email != null && emails.Contains(c.Email.ToLower()))))
            .ToListAsync(ct);
        var errors = new List<CsvRowError>();
        var seen = new HashSet<string>();
        var touched = new List<(Customer Customer, bool Created, long Before)>();
        foreach (var (line, v) in rows)
        {
            var problems = new List<string>();
            int? credit = null;
            if (v.GetValueOrDefault("credit") is { } creditText)
            {
                if (int.TryParse(creditText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var c)) credit = c;
                else problems.Add($"credit: '{creditText}' is not a number 1-5.");
            }
            var record = new CustomerRecord
            {
                ExternalId = v.GetValueOrDefault("externalId"), Name = v.GetValueOrDefault("name"), Surname = v.GetValueOrDefault("surname"),
                Gender = v.GetValueOrDefault("gender"), Email = v.GetValueOrDefault("email"), Phone = v.GetValueOrDefault("phone"), Mobile = v.GetValueOrDefault("mobile"),
                Region = v.GetValueOrDefault("region"), Tier = v.GetValueOrDefault("tier"), Credit = credit,
                AccountManager = v.GetValueOrDefault("accountManager"), CompanyGroup = v.GetValueOrDefault("companyGroup"),
            };
            var match = existing.FirstOrDefault(c => record.ExternalId is not null && c.ExternalId == record.ExternalId)
                        ?? existing.FirstOrDefault(c => record.Email is not null && string.Equals(c.Email, record.Email, StringComparison.OrdinalIgnoreCase));
            problems.AddRange(CustomerRecordRules.Validate(record, creating: match is null).SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")));
            var key = record.ExternalId ?? record.Email?.ToLowerInvariant();
            if (key is not null && !seen.Add(key)) problems.Add($"'{key}' appears on an earlier line of this file.");
            if (problems.Count > 0)
            {
                errors.Add(new CsvRowError(line, key ?? record.Name, problems));
                continue;
            }
            var created = match is null;
            if (created)
            {
                match = new Customer();
                existing.Add(match);
                if (!dryRun) db.Customers.Add(match);
            }
            var before = match!.Version;
            if (!dryRun) CustomerRecordRules.Apply(match, record, now);
            touched.Add((match, created, before));
        }
        if (!dryRun) await db.SaveChangesAsync(ct);
        return Report("customers", dryRun, rows.Count, touched, errors);
    }

    private async Task<CsvImportReport> ImportContactsAsync(List<(int Line, Dictionary<string, string?> V)> rows, bool dryRun, CancellationToken ct)
    {
        var externalIds = rows.Select(r => r.V.GetValueOrDefault("customerExternalId")).OfType<string>().Distinct().ToList();
        var emails = rows.Select(r => r.V.GetValueOrDefault("customerEmail")?.ToLowerInvariant()).OfType<string>().Distinct().ToList();
        var customers = await db.Customers.Include(c => c.Contacts)
            .Where(c => c.MergedIntoId == null && ((c.ExternalId != null && externalIds.Contains(c.ExternalId)) || (c.Email != null && emails.Contains(c.Email.ToLower()))))
            .ToListAsync(ct);
        var errors = new List<CsvRowError>();
        var touched = new List<(Customer Customer, bool Created, long Before)>();
        foreach (var (line, v) in rows)
        {
            var ext = v.GetValueOrDefault("customerExternalId");
            var email = v.GetValueOrDefault("customerEmail");
            var customer = customers.FirstOrDefault(c => ext is not null && c.ExternalId == ext)
                           ?? customers.FirstOrDefault(c => email is not null && string.Equals(c.Email, email, StringComparison.OrdinalIgnoreCase));
            var problems = new List<string>();
            if (customer is null) problems.Add(ext is null && email is null ? "Name the customer (CustomerExternalId or CustomerEmail)." : $"No customer '{ext ?? email}'.");
            var name = v.GetValueOrDefault("name");
            var contactId = v.GetValueOrDefault("externalId");
            var contact = new ContactRecord(contactId ?? $"name:{name}", name, v.GetValueOrDefault("gender"), v.GetValueOrDefault("position"),
                v.GetValueOrDefault("phone"), v.GetValueOrDefault("mobile"), v.GetValueOrDefault("notes"));
            problems.AddRange(CustomerRecordRules.Validate(new CustomerRecord { Contacts = [contact] }, creating: false)
                .SelectMany(e => e.Value.Select(m => $"{e.Key.Replace("contacts[0].", "")}: {m}")));
            if (problems.Count > 0)
            {
                errors.Add(new CsvRowError(line, name, problems));
                continue;
            }
            var created = contactId is null ? customer!.Contacts.All(c => c.Name != name) : customer!.Contacts.All(c => c.ExternalId != contactId);
            if (!dryRun)
            {
                // Without a CRM id a contact is known by its name within the customer.
                if (contactId is null && customer.Contacts.FirstOrDefault(c => c.Name == name) is { } byName) byName.ExternalId ??= contact.ExternalId;
                CustomerRecordRules.Apply(customer, new CustomerRecord { Contacts = [contact] }, clock.GetUtcNow().UtcDateTime);
                if (contactId is null) customer.Contacts.First(c => c.ExternalId == contact.ExternalId).ExternalId = null;
            }
            touched.Add((customer, created, 0));
        }
        if (!dryRun) await db.SaveChangesAsync(ct);
        return new CsvImportReport("contacts", dryRun, rows.Count, touched.Count(t => t.Created), touched.Count(t => !t.Created), 0, errors.Count, errors);
    }

    private static CsvImportReport Report(string kind, bool dryRun, int rows, List<(Customer Customer, bool Created, long Before)> touched, List<CsvRowError> errors) =>
        new(kind, dryRun, rows, touched.Count(t => t.Created),
            touched.Count(t => !t.Created && (dryRun || t.Customer.Version != t.Before)),
            touched.Count(t => !t.Created && !dryRun && t.Customer.Version == t.Before), errors.Count, errors);
}
