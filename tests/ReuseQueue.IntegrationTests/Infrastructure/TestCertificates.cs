using System.Diagnostics;

namespace ReuseQueue.IntegrationTests.Infrastructure;

/// <summary>A certificate authority and a server certificate for localhost, made with openssl for one test.</summary>
public sealed record TestCertificates(string CaFile, string ServerCertificateFile, string ServerKeyFile)
{
    public static async Task<TestCertificates> CreateAsync(TemporaryDirectory folder)
    {
        var certificates = new TestCertificates(folder.Path("ca.crt"), folder.Path("server.crt"), folder.Path("server.key"));
        var extensions = folder.Write("server.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        await OpenSslAsync("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", folder.Path("ca.key"),
            "-out", certificates.CaFile, "-days", "1", "-subj", "/CN=reuseq-test-ca");
        await OpenSslAsync("req", "-newkey", "rsa:2048", "-nodes", "-keyout", certificates.ServerKeyFile,
            "-out", folder.Path("server.csr"), "-subj", "/CN=localhost");
        await OpenSslAsync("x509", "-req", "-in", folder.Path("server.csr"), "-CA", certificates.CaFile,
            "-CAkey", folder.Path("ca.key"), "-CAcreateserial", "-out", certificates.ServerCertificateFile,
            "-days", "1", "-extfile", extensions);
        // The broker in its container runs as another user; these throwaway files are for one test only.
        if (OperatingSystem.IsLinux())
        {
            const UnixFileMode readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
            File.SetUnixFileMode(certificates.ServerKeyFile, readable);
            File.SetUnixFileMode(Path.GetDirectoryName(certificates.CaFile)!,
                readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
        return certificates;
    }

    private static async Task OpenSslAsync(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {arguments[0]} failed with exit code {process.ExitCode}: {await errors}");
        }
    }
}
