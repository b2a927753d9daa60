using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace InferCost.Studio.Tests;

/// <summary>Studio attacked over real HTTP on 127.0.0.1 (Kestrel, not the in-memory test server): broken uploads,
/// foreign Host names, redirects off the site, script in ledger strings. Every answer is one sentence with the
/// security headers, never a 500 or a stack trace in the console.</summary>
public class AttackTests
{
    private static readonly string Template = File.ReadAllText(StudioHost.Fixture("contract/template.csv"));
    private const string Boundary = "----infercost-attack";

    private static byte[] Multipart(string partHeaders, string content, bool close = true) => Encoding.UTF8.GetBytes(
        $"--{Boundary}\r\n{partHeaders}\r\n\r\n{content}\r\n" + (close ? $"--{Boundary}--\r\n" : string.Empty));

    private static string FilePart(string fileName = "template.csv") =>
        $"Content-Disposition: form-data; name=\"file\"; filename=\"{fileName}\"\r\nContent-Type: text/csv";

    /// <summary>The headers every answer carries, whatever its status.</summary>
    private static void AssertSecurityHeaders(RawHttp.Response response)
    {
        var csp = response.Header("Content-Security-Policy");
        Assert.NotNull(csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("nosniff", response.Header("X-Content-Type-Options"));
        Assert.Equal("DENY", response.Header("X-Frame-Options"));
    }

    private static void AssertNoStackTrace(LiveStudio studio, RawHttp.Response response)
    {
        Assert.DoesNotContain("Exception", response.Body);
        Assert.DoesNotContain("   at ", response.Body);
        Assert.DoesNotContain(studio.Warnings, w => w.Contains("Exception", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_truncated_upload_is_400_with_one_sentence_no_stack_trace_and_nothing_imported()
    {
        await using var studio = await LiveStudio.StartAsync();
        var whole = Multipart(FilePart(), Template);
        var contentType = $"multipart/form-data; boundary={Boundary}";

        // The client promises the whole form, sends half and closes its side. Kestrel takes the close as the end of
        // the connection, so the answer may never be sent; what must not happen is a 500 or a stack trace logged.
        var cut = await RawHttp.PostAsync(studio.Url, "/api/import", contentType, whole[..(whole.Length / 2)], contentLength: whole.Length, endEarly: true);
        Assert.True(cut.Status is 0 or 400, $"HTTP {cut.Status}: {cut.Body}");

        // The length is honest but the form stops before its closing boundary.
        var unclosed = Multipart(FilePart(), Template, close: false);
        var open = await RawHttp.PostAsync(studio.Url, "/api/import", contentType, unclosed);
        Assert.Equal(400, open.Status);
        Assert.Contains("not a complete multipart/form-data body", open.Body);
        AssertNoStackTrace(studio, open);

        // And on the Import page's form, the same sentence in the page.
        var page = await RawHttp.PostAsync(studio.Url, "/import", contentType, unclosed);
        Assert.Equal(400, page.Status);
        Assert.Contains("not a complete multipart/form-data body", page.Body);
        Assert.Contains("data-outcome=\"refused\"", page.Body);
        AssertNoStackTrace(studio, page); // also covers the cut request, answered (or dropped) before these three
        Assert.False(File.Exists(studio.LedgerPath));
    }

    [Fact]
    public async Task A_quote_in_the_file_name_or_a_form_without_boundary_is_400_not_a_false_413()
    {
        await using var studio = await LiveStudio.StartAsync();
        var quoted = await RawHttp.PostAsync(studio.Url, "/api/import", $"multipart/form-data; boundary={Boundary}", Multipart(FilePart("a\"b.csv"), "x"));
        Assert.Equal(400, quoted.Status);
        Assert.Contains("not a complete multipart/form-data body", quoted.Body);
        Assert.DoesNotContain("limit", quoted.Body);
        AssertSecurityHeaders(quoted);

        var noBoundary = await RawHttp.PostAsync(studio.Url, "/api/import", "multipart/form-data", Multipart(FilePart(), Template));
        Assert.Equal(400, noBoundary.Status);
        Assert.Contains("not a complete multipart/form-data body", noBoundary.Body);
        Assert.DoesNotContain("limit", noBoundary.Body);
        AssertNoStackTrace(studio, noBoundary);
        Assert.False(File.Exists(studio.LedgerPath));
    }

    [Fact]
    public async Task An_upload_over_the_limit_without_a_declared_length_is_still_413()
    {
        await using var studio = await LiveStudio.StartAsync(new() { ["Studio:MaxUploadBytes"] = "200" });
        // 200 bytes allowed plus 64 KiB of framing; 100 KiB sent in chunks, so no Content-Length to refuse up front.
        var body = Multipart(FilePart(), new string('a', 100 * 1024));
        var chunked = new MemoryStream();
        foreach (var piece in body.Chunk(8192))
        {
            chunked.Write(Encoding.ASCII.GetBytes(piece.Length.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "\r\n"));
            chunked.Write(piece);
            chunked.Write("\r\n"u8);
        }
        chunked.Write("0\r\n\r\n"u8);
        var response = await RawHttp.SendAsync(studio.Url,
            $"POST /api/import HTTP/1.1\r\nHost: {new Uri(studio.Url).Authority}\r\nContent-Type: multipart/form-data; boundary={Boundary}\r\nTransfer-Encoding: chunked", chunked.ToArray());
        Assert.Equal(413, response.Status);
        Assert.Contains("larger than the 200 bytes limit", response.Body);
        AssertNoStackTrace(studio, response);
        Assert.False(File.Exists(studio.LedgerPath));
    }

    [Fact]
    public async Task A_foreign_host_name_is_refused_with_the_security_headers()
    {
        await using var studio = await LiveStudio.StartAsync();
        // DNS rebinding: the browser sends the attacker's name as Host to 127.0.0.1.
        var foreign = await RawHttp.GetAsync(studio.Url, "/api/ledger", host: "rebind.attacker.example");
        Assert.Equal(400, foreign.Status);
        Assert.Contains("answers only to the names localhost, 127.0.0.1 and [::1]", foreign.Body);
        AssertSecurityHeaders(foreign);

        var post = await RawHttp.SendAsync(studio.Url, $"POST /api/import HTTP/1.1\r\nHost: rebind.attacker.example:{new Uri(studio.Url).Port}\r\nOrigin: http://rebind.attacker.example\r\nContent-Type: multipart/form-data; boundary={Boundary}\r\nContent-Length: {Multipart(FilePart(), Template).Length}", Multipart(FilePart(), Template));
        Assert.Equal(400, post.Status);
        Assert.False(File.Exists(studio.LedgerPath));

        foreach (var name in new[] { "localhost", "127.0.0.1", "[::1]" })
        {
            var local = await RawHttp.GetAsync(studio.Url, "/api/ledger", host: $"{name}:{new Uri(studio.Url).Port}");
            Assert.Equal(200, local.Status);
            AssertSecurityHeaders(local);
        }
    }

    [Fact]
    public async Task A_post_from_a_page_on_another_origin_is_refused()
    {
        await using var studio = await LiveStudio.StartAsync();
        var body = Multipart(FilePart(), Template);
        var head = $"POST /api/import HTTP/1.1\r\nHost: {new Uri(studio.Url).Authority}\r\nContent-Type: multipart/form-data; boundary={Boundary}\r\nContent-Length: {body.Length}";
        var fromOrigin = await RawHttp.SendAsync(studio.Url, head + "\r\nOrigin: http://evil.example", body);
        Assert.Equal(403, fromOrigin.Status);
        var fetchMetadata = await RawHttp.SendAsync(studio.Url, head + "\r\nSec-Fetch-Site: cross-site", body);
        Assert.Equal(403, fetchMetadata.Status);
        AssertSecurityHeaders(fetchMetadata);

        // The Import page's form without its antiforgery token: refused, nothing imported.
        var form = await RawHttp.PostAsync(studio.Url, "/import", $"multipart/form-data; boundary={Boundary}", body);
        Assert.Equal(400, form.Status);
        Assert.Contains("did not come from Studio", form.Body);
        Assert.False(File.Exists(studio.LedgerPath));
    }

    [Fact]
    public async Task Bound_to_every_address_a_wrong_or_missing_token_is_401_everywhere_but_healthz()
    {
        const string token = "right-token-0123456789abcdef";
        await using var studio = await LiveStudio.StartAsync(new() { ["Studio:Host"] = "0.0.0.0", ["Studio:AccessToken"] = token }, listen: "http://0.0.0.0:0");
        foreach (var target in new[] { "/", "/import", "/api/ledger", "/api/metrics", "/openapi/v1.json", "/assets/studio.css", "/?token=wrong-token-0123456789abcdef", "/?token=" })
        {
            var refused = await RawHttp.GetAsync(studio.Url, target);
            Assert.Equal(401, refused.Status);
            Assert.DoesNotContain(token, refused.Body);
            AssertSecurityHeaders(refused);
        }
        Assert.Equal(401, (await RawHttp.GetAsync(studio.Url, "/api/ledger", null, "Authorization: Bearer wrong-token-0123456789abcdef")).Status);
        Assert.Equal(401, (await RawHttp.GetAsync(studio.Url, "/api/ledger", null, "Cookie: infercost_studio_token=wrong-token-0123456789abcdef")).Status);
        // A token one character short, and the right one with a character more: compared whole, not as a prefix.
        Assert.Equal(401, (await RawHttp.GetAsync(studio.Url, "/api/ledger", null, "Authorization: Bearer " + token[..^1])).Status);
        Assert.Equal(401, (await RawHttp.GetAsync(studio.Url, "/api/ledger", null, "Authorization: Bearer " + token + "x")).Status);

        var body = Multipart(FilePart(), Template);
        var post = await RawHttp.PostAsync(studio.Url, "/api/import", $"multipart/form-data; boundary={Boundary}", body);
        Assert.Equal(401, post.Status);
        Assert.False(File.Exists(studio.LedgerPath));

        Assert.Equal(200, (await RawHttp.GetAsync(studio.Url, "/healthz")).Status);
        Assert.Equal(200, (await RawHttp.GetAsync(studio.Url, "/api/ledger", null, "Authorization: Bearer " + token)).Status);
        // Off loopback any Host name is accepted: the token, not the name, is the guard there.
        Assert.Equal(200, (await RawHttp.GetAsync(studio.Url, "/api/ledger", "studio.lan:5080", "Authorization: Bearer " + token)).Status);
    }

    [Fact]
    public async Task The_token_exchange_redirects_only_to_a_path_on_studio_itself()
    {
        const string token = "right-token-0123456789abcdef";
        await using var studio = await LiveStudio.StartAsync(new() { ["Studio:Host"] = "0.0.0.0", ["Studio:AccessToken"] = token }, listen: "http://0.0.0.0:0");
        foreach (var (target, expected) in new[]
                 {
                     ("//evil.example/?token=" + token, "/evil.example/"),
                     ("/\\evil.example?token=" + token, "/%5Cevil.example"), // escaped: a path, not a host
                     ("/%5Cevil.example?token=" + token, "/%5Cevil.example"),
                     ("///evil.example?token=" + token, "/evil.example"),
                     ("/workload/caf%C3%A9?token=" + token, "/workload/caf%C3%A9"),
                     ("/?token=" + token, "/"),
                 })
        {
            var response = await RawHttp.GetAsync(studio.Url, target);
            Assert.Equal(302, response.Status);
            var location = response.Header("Location")!;
            Assert.Equal(expected, location);
            // A browser resolves it against Studio's own address: it must stay there.
            Assert.Equal("studio.lan", new Uri(new Uri("http://studio.lan:5080/"), location).Host);
            Assert.Contains("HttpOnly", response.Header("Set-Cookie")!, StringComparison.OrdinalIgnoreCase);
            AssertSecurityHeaders(response);
        }
    }

    [Fact]
    public async Task A_script_in_a_model_and_workload_name_is_escaped_on_every_page()
    {
        const string evil = "<img src=x onerror=alert(1)>";
        await using var studio = await LiveStudio.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(studio.Url) };
        var csv = Template.Replace("dedicated-open-model-id", evil, StringComparison.Ordinal).Replace("support-policy", evil, StringComparison.Ordinal);
        Assert.Contains(evil, csv);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/api/import", StudioHost.Upload(evil + ".csv", csv))).StatusCode);

        var escaped = "&lt;img src=x onerror=alert(1)&gt;";
        var workload = "/workload/" + Uri.EscapeDataString(evil);
        var pages = new[] { "/", "/import", "/workload", workload, workload + "/curve", "/reports", "/procurement", "/fit", "/simulate" };
        var shown = 0;
        foreach (var path in pages)
        {
            var response = await http.GetAsync(path);
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("onerror=alert(1)>", html);
            shown += html.Contains(escaped, StringComparison.Ordinal) ? 1 : 0;
            Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Contains("script-src 'self'", string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
            // No inline script anywhere: every script is a file from /assets, so the CSP needs no 'unsafe-inline'.
            Assert.DoesNotMatch(new Regex("<script(?![^>]*\\bsrc=\"/assets/)", RegexOptions.IgnoreCase), html);
        }
        // The name is shown (escaped) on the overview, import, workload list, its own page and its curve.
        Assert.True(shown >= 5, $"the escaped name appeared on {shown} pages");
    }

    [Fact]
    public async Task Workloads_linked_from_the_overview_answer_even_from_events_alone_or_with_a_slash()
    {
        await using var studio = await LiveStudio.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(studio.Url) };
        var vllm = StudioHost.Upload("result.json", File.ReadAllText(StudioHost.Fixture("importers/vllm-bench/result-detailed.json")));
        vllm.Add(new StringContent("self-hosted"), "route");
        vllm.Add(new StringContent("team/support 100%"), "workload"); // only in request events, with a slash and a percent sign
        vllm.Add(new StringContent("vllm"), "provider");
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/api/import", vllm)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/api/import", StudioHost.Upload("template.csv", Template))).StatusCode);

        var overview = await http.GetStringAsync("/");
        var links = Regex.Matches(overview, "href=\"(/workload/[^\"]+)\"").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).Distinct().ToList();
        Assert.Contains(links, l => l.StartsWith("/workload/team%2Fsupport%20100%25", StringComparison.Ordinal));
        Assert.True(links.Count >= 3, string.Join(" ", links));
        foreach (var link in links)
        {
            var page = await http.GetAsync(link);
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"{link}: {(int)page.StatusCode}");
        }
        var events = await http.GetStringAsync("/workload/team%2Fsupport%20100%25");
        Assert.Contains("Workload: team/support 100%", events);
        var panel = await http.GetAsync("/workload/team%2Fsupport%20100%25/curve");
        Assert.Equal(HttpStatusCode.OK, panel.StatusCode);
        Assert.Contains("/workload/team%2Fsupport%20100%25", await http.GetStringAsync("/workload"));
        // A workload literally named with an escape in it is another workload, not this one.
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/workload/team%252Fsupport%2520100%2525")).StatusCode);
    }
}
