package io.dialerbridge.ops;

import io.dialerbridge.batch.Batch;
import io.dialerbridge.batch.Batcher;
import io.dialerbridge.batch.Rejected;
import io.dialerbridge.batch.Work;
import io.dialerbridge.dialer.vcc.BatchRequests;
import io.dialerbridge.element.Element;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.source.ElementReader;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code send} would do with files, without a network call: reads and validates every element,
 * builds the exact requests (batches closed by size, with the project's defaults filled in) and
 * counts them and their bytes; every element that would be refused is listed with its line and reason.
 */
public final class DryRun {

    private static final ObjectMapper JSON = new ObjectMapper();
    // batches close by size only: a dry run reads from disk, never waits on a slow source
    private static final Clock STOPPED = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

    private final BatchRequests requests;
    private final int maxElements;
    /** the pre-flight field check (fields.DryRunFieldCheck), after the operation's rules; by default none */
    private java.util.function.Function<Element, io.dialerbridge.element.Rejection> fieldCheck = element -> null;

    public DryRun(BatchRequests requests, int maxElements) {
        this.requests = requests;
        this.maxElements = maxElements;
    }

    /** With the pre-flight field check: an element the operation's rules pass is checked against its project's fields. */
    public DryRun checkingFields(java.util.function.Function<Element, io.dialerbridge.element.Rejection> fieldCheck) {
        this.fieldCheck = fieldCheck;
        return this;
    }

    /** An element that would be dead-lettered, where it is and why. */
    public record Refusal(String source, long line, String error, String message) {
        @Override
        public String toString() {
            return source + " line " + line + ": " + error + " (" + message + ")";
        }
    }

    /** The requests one project and operation would get from the files. */
    public record Plan(String projectId, Operation operation, long elements, long wouldSend, long requests, long bytes,
                       List<Refusal> refused) {
        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(projectId + "/" + operation.id() + ": " + elements + " elements, "
                    + wouldSend + " would be sent in " + requests + (requests == 1 ? " request" : " requests")
                    + " (" + bytes + " bytes), " + refused.size() + " would be refused");
            refused.forEach(refusal -> text.append("\n  ").append(refusal));
            return text.toString();
        }
    }

    public Plan plan(List<Path> files, String projectId, Operation operation) throws IOException {
        return plan(files, projectId, operation, new java.util.LinkedHashMap<>());
    }

    /**
     * As {@link #plan(List, String, Operation)}, but a file that cannot be read at all (empty CSV, unreadable
     * header, unknown extension: {@link ElementReader.UnreadableFileException}) is refused as a whole, as send
     * and the inbox refuse it: it goes into {@code refusedWhole} with the reason and counts nothing.
     */
    public Plan plan(List<Path> files, String projectId, Operation operation, java.util.Map<Path, String> refusedWhole)
            throws IOException {
        long elements = 0;
        long wouldSend = 0;
        long requestCount = 0;
        long bytes = 0;
        List<Refusal> refused = new ArrayList<>();
        for (Path file : files) {
            Plan one;
            try {
                one = planOne(file, projectId, operation);
            } catch (ElementReader.UnreadableFileException e) {
                refusedWhole.put(file, e.getMessage());
                continue;
            } catch (RuntimeException e) {
                ElementReader.UnreadableFileException unreadable = unreadable(e);
                if (unreadable == null) {
                    throw e;
                }
                refusedWhole.put(file, unreadable.getMessage());
                continue;
            }
            elements += one.elements();
            wouldSend += one.wouldSend();
            requestCount += one.requests();
            bytes += one.bytes();
            refused.addAll(one.refused());
        }
        return new Plan(projectId, operation, elements, wouldSend, requestCount, bytes, refused);
    }

    private static ElementReader.UnreadableFileException unreadable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ElementReader.UnreadableFileException unreadable) {
                return unreadable;
            }
        }
        return null;
    }

    private Plan planOne(Path file, String projectId, Operation operation) throws IOException {
        long elements = 0;
        long wouldSend = 0;
        long requestCount = 0;
        long bytes = 0;
        List<Refusal> refused = new ArrayList<>();
        ElementReader reader = ElementReader.open(file, file.toString(), projectId, operation);
        try (Batcher batcher = new Batcher(reader,
                element -> {
                    io.dialerbridge.element.Rejection invalid = operation.rules().validate(element.body(), element.defaults());
                    return invalid != null ? invalid : fieldCheck.apply(element);
                }, maxElements,
                Duration.ofDays(1), STOPPED)) {
            while (batcher.hasNext()) {
                Work work = batcher.next();
                if (work instanceof Rejected rejected) {
                    Element element = rejected.element();
                    refused.add(new Refusal(element.source().file(), element.source().line(),
                            element.rejection().error(), element.rejection().message()));
                    elements++;
                } else if (work instanceof Batch batch) {
                    elements += batch.size();
                    wouldSend += batch.size();
                    if (operation.rules().perElement()) {
                        for (Element element : batch.elements()) {
                            requestCount++;
                            bytes += JSON.writeValueAsBytes(operation.rules()
                                    .singleRequest(projectId, element.body()).body()).length;
                        }
                    } else {
                        requestCount++;
                        bytes += requests.body(batch).length;
                    }
                }
            }
        }
        return new Plan(projectId, operation, elements, wouldSend, requestCount, bytes, refused);
    }
}
