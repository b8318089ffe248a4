package io.lambdatrades.serving;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A stream client as a browser's EventSource is: it reads the events of GET /api/v1/stream as they come. */
final class SseEvents
        implements AutoCloseable
{
    record Event(String id, String name, String data) {}

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private final HttpResponse<java.io.InputStream> response;

    SseEvents(String url, String lastEventId)
            throws IOException, InterruptedException
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        reader = new Thread(this::read, "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    int status()
    {
        return response.statusCode();
    }

    private void read()
    {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String name = "message";
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(id, name, data.toString()));
                    }
                    id = null;
                    name = "message";
                    data.setLength(0);
                }
                else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                }
                else if (line.startsWith("event: ")) {
                    name = line.substring(7);
                }
                else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
        }
        catch (IOException e) {
            // The server closed the stream, or the test did.
        }
    }

    List<Event> events()
    {
        return List.copyOf(events);
    }

    List<Event> named(String name)
    {
        return events.stream().filter(event -> event.name().equals(name)).toList();
    }

    @Override
    public void close()
            throws IOException
    {
        response.body().close();
        reader.interrupt();
    }
}
