namespace Helpdesk.Web.Tests.Fixtures;

/// <summary>
/// Waits for work the app does in the background (its SLA worker, a Hangfire job) to show. Not a
/// timing assertion: the limit is generous, and the test asserts what it finds.
/// </summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Waited {seconds} s for {what}; last seen: {System.Text.Json.JsonSerializer.Serialize(value)}");
            await Task.Delay(50);
        }
    }

    // Generous: the suite shares two cores with builds and browsers, and a mail goes through IMAP IDLE, intake and triage first.
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(45);

    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null) where T : class
    {
        var until = DateTime.UtcNow + (timeout ?? DefaultWait);
        while (true)
        {
            var value = await probe();
            if (value is not null) return value;
            if (DateTime.UtcNow > until) throw new TimeoutException($"Waited {(timeout ?? DefaultWait).TotalSeconds} s for {what}.");
            await Task.Delay(100);
        }
    }

    public static async Task TrueAsync(Func<Task<bool>> probe, string what, TimeSpan? timeout = null) =>
        await GetAsync(async () => await probe() ? "yes" : null, what, timeout);
}
