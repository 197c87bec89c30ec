namespace Helpdesk.Web.Infrastructure;

/// <summary>Collects per-field errors for a 400 validation problem; field names are the JSON names.</summary>
public sealed class RequestValidation
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public RequestValidation Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
            _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public RequestValidation Text(string field, string? value, int max, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) Add(field, $"'{field}' is required.");
        }
        else if (value.Length > max)
        {
            Add(field, $"'{field}' is longer than {max} characters.");
        }
        return this;
    }

    public RequestValidation Required<T>(string field, T? value) where T : struct
    {
        if (value is null) Add(field, $"'{field}' is required.");
        return this;
    }

    public RequestValidation Defined<T>(string field, T? value) where T : struct, System.Enum
    {
        if (value is { } v && !System.Enum.IsDefined(v)) Add(field, $"'{field}' is not one of {string.Join(", ", System.Enum.GetNames<T>())}.");
        return this;
    }

    public RequestValidation Positive(string field, long? value)
    {
        if (value is <= 0) Add(field, $"'{field}' must be a positive number.");
        return this;
    }

    public T? Enum<T>(string field, string? text) where T : struct, System.Enum
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (System.Enum.TryParse<T>(text, ignoreCase: true, out var value) && !int.TryParse(text, out _) && System.Enum.IsDefined(value))
            return value;
        Add(field, $"'{text}' is not one of {string.Join(", ", System.Enum.GetNames<T>())}.");
        return null;
    }

    public List<T>? Enums<T>(string field, string? text) where T : struct, System.Enum
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => Enum<T>(field, part)).Where(v => v is not null).Select(v => v!.Value).ToList();
    }

    public long? Long(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (long.TryParse(text, out var value) && value > 0) return value;
        Add(field, $"'{text}' is not a valid id.");
        return null;
    }

    public int? Int(string field, string? text, int min = 1, int max = int.MaxValue)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (int.TryParse(text, out var value) && value >= min && value <= max) return value;
        Add(field, $"'{text}' is not a number from {min} to {max}.");
        return null;
    }

    public bool? Bool(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (bool.TryParse(text, out var value)) return value;
        Add(field, $"'{text}' is not true or false.");
        return null;
    }

    public Guid? Guid(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (System.Guid.TryParse(text, out var value)) return value;
        Add(field, $"'{text}' is not a valid id.");
        return null;
    }

    public DateTime? Date(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var value))
            return value.UtcDateTime;
        Add(field, $"'{text}' is not a date (use ISO 8601, e.g. 2026-11-23 or 2026-11-23T08:00:00Z).");
        return null;
    }

    public IDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
}
