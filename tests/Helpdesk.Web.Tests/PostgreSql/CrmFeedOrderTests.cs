using System.Data.Common;
using System.Net;
using Helpdesk.Data;
using Helpdesk.Web.Crm;
using Helpdesk.Web.Tests.Crm;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.PostgreSql;

/// <summary>
/// Holds one transaction open right after it wrote its changes-feed entry, until the test lets it
/// go: the slow writer whose lower sequence number commits after a faster writer's higher one.
/// </summary>
public sealed class SlowFeedWriter : DbCommandInterceptor
{
    private int _armed;
    public TaskCompletionSource Inserted { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource Release { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Arm()
    {
        Inserted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _armed, 1);
    }

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken ct = default)
    {
        if (command.CommandText.Contains("INSERT INTO \"CustomerChanges\"", StringComparison.Ordinal) && Interlocked.Exchange(ref _armed, 0) == 1)
        {
            Inserted.TrySetResult();
            await Release.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        }
        return result;
    }
}

public sealed class FeedRaceFixture : IAsyncLifetime
{
    public SlowFeedWriter Slow { get; } = new();
    public PostgreSqlServer Database { get; private set; } = null!;
    public HelpdeskServer App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await PostgreSqlServer.StartAsync();
        var connection = await Database.CreateDatabaseAsync();
        App = new HelpdeskServer { Settings = { "Database:Provider=PostgreSql", $"ConnectionStrings:Helpdesk={connection}", "Demo:Enabled=true" } };
        App.Configure.Add(b => b.Services.ConfigureDbContext<HelpdeskDbContext>(o => o.AddInterceptors(Slow)));
        await App.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        Slow.Release.TrySetResult();
        if (App is not null) await App.DisposeAsync();
        if (Database is not null) await Database.DisposeAsync();
    }
}

/// <summary>
/// Issue 9 point 2 where writers really run side by side (PostgreSQL): a CRM following the changes
/// feed misses no entry, even when a transaction with a lower sequence number commits after one
/// with a higher number would have. Without the feed lock the follower passes the slow writer's entry.
/// </summary>
public sealed class CrmFeedOrderTests(FeedRaceFixture fixture) : IClassFixture<FeedRaceFixture>
{
    [Fact]
    public async Task A_reader_following_the_feed_misses_no_entry_when_a_slow_writer_commits_late()
    {
        var app = fixture.App;
        var key = await app.IssueKeyAsync("ReadWrite");
        using var reader = app.CrmHttp(key.Secret);
        long cursor = 0;
        var seen = new List<long>();
        async Task FollowAsync()
        {
            while (true)
            {
                var page = (await reader.GetFromJsonAsync<ChangesPage>($"/api/crm/changes?after={cursor}&limit=1000", TestJson.Options))!;
                seen.AddRange(page.Changes.Select(c => c.Sequence));
                cursor = page.Next;
                if (!page.HasMore) return;
            }
        }
        await FollowAsync();
        var from = cursor;

        using var slowClient = app.CrmHttp(key.Secret);
        using var fastClient = app.CrmHttp(key.Secret);
        fixture.Slow.Arm();
        var slow = slowClient.PutAsJsonAsync($"/api/crm/customers/slow-{Guid.NewGuid():N}", new { name = "慢写入客户", tier = "普通客户", credit = 3 });
        await fixture.Slow.Inserted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var fast = fastClient.PutAsJsonAsync($"/api/crm/customers/fast-{Guid.NewGuid():N}", new { name = "快写入客户", tier = "普通客户", credit = 3 });
        // Give the fast writer its chance to commit while the slow one holds its transaction open.
        await Task.WhenAny(fast, Task.Delay(TimeSpan.FromSeconds(1.5)));
        await FollowAsync();

        fixture.Slow.Release.TrySetResult();
        (await slow).StatusCode.Should().Be(HttpStatusCode.Created);
        (await fast).StatusCode.Should().Be(HttpStatusCode.Created);
        await FollowAsync();

        await using var scope = app.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>().CustomerChanges
            .Where(c => c.Id > from).Select(c => c.Id).OrderBy(id => id).ToListAsync();
        stored.Should().HaveCountGreaterThanOrEqualTo(2);
        seen.Where(id => id > from).Should().Equal(stored, "the follower saw every entry, in order, none skipped");
    }
}
