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
}
