package io.mailgate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline.TimelineEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.metrics.StartupStep;

/**
 * A diagnostic for whoever works on start-up time (README "Start-up"): with {@code -Dmailgate.startup-report=true}
 * Spring records each start-up step (bean creations, configuration parsing, context refresh phases) and, once
 * mailgate is ready, this logs the steps that took longest by their own time (their time less their nested steps),
 * which names the bean or phase to look at. Off by default: recording costs a little memory and time.
 */
final class StartupReport implements ApplicationListener<ApplicationReadyEvent> {

    static final String PROPERTY = "mailgate.startup-report";
    private static final Logger log = LoggerFactory.getLogger(StartupReport.class);
    private static final int SHOWN = 40;

    private final BufferingApplicationStartup steps;

    StartupReport(BufferingApplicationStartup steps) {
        this.steps = steps;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        List<TimelineEvent> events = steps.getBufferedTimeline().getEvents();
        Map<Long, Long> nestedNanos = new HashMap<>();
        for (TimelineEvent e : events) {
            Long parent = e.getStartupStep().getParentId();
            if (parent != null) {
                nestedNanos.merge(parent, e.getDuration().toNanos(), Long::sum);
            }
        }
        record Step(String name, long ownMillis, long totalMillis) {}
        List<Step> all = new ArrayList<>();
        for (TimelineEvent e : events) {
            StartupStep step = e.getStartupStep();
            long total = e.getDuration().toNanos();
            long own = total - nestedNanos.getOrDefault(step.getId(), 0L);
            all.add(new Step(
                    step.getName() + tags(step),
                    Duration.ofNanos(own).toMillis(),
                    Duration.ofNanos(total).toMillis()));
        }
        all.sort(Comparator.comparingLong(Step::ownMillis).reversed());
        StringBuilder report = new StringBuilder("Start-up steps by own time (ms own / ms with nested steps):");
        all.stream()
                .limit(SHOWN)
                .forEach(s -> report.append(String.format("%n%7d %7d  %s", s.ownMillis(), s.totalMillis(), s.name())));
        Map<String, Long> byKind = all.stream()
                .collect(Collectors.groupingBy(
                        s -> s.name().replaceAll(" .*", ""), Collectors.summingLong(Step::ownMillis)));
        report.append(String.format("%nOwn time by kind of step:"));
        byKind.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(k -> report.append(String.format("%n%7d  %s", k.getValue(), k.getKey())));
        log.info("{}", report);
    }

    private static String tags(StartupStep step) {
        String tags = StreamSupport.stream(step.getTags().spliterator(), false)
                .map(t -> t.getKey() + "=" + t.getValue())
                .collect(Collectors.joining(", "));
        return tags.isEmpty() ? "" : " [" + tags + "]";
    }
}
