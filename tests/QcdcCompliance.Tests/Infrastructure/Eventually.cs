namespace QcdcCompliance.Tests.Infrastructure;

/// <summary>Waits for something that background work (a Hangfire server) makes true, or fails after a timeout.</summary>
public static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var value = await read();
            if (done(value))
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"still waiting for {what}; last value: {value}");
            await Task.Delay(100);
        }
    }
}
