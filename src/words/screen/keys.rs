//! What the keys are called: the word after each key in the hint lines, each
//! key's sentence in the help, and the help's paragraphs about the screens.
//! Which key does what, and where, is `tui::keys`'s table; this file only
//! says it in words.

use crate::lesson::Lang;

/// The word after a key in a hint line ("␣ step", "q quit").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HintWord {
    /// Only the key, no word ("? · q").
    Bare,
    Choose,
    Open,
    OpenNumber,
    /// The picker's story, scrolled.
    Scroll,
    OtherLanguage,
    Help,
    Quit,
    Step,
    Next,
    StepNumber,
    Undo,
    Play,
    Pause,
    Locks,
    TimingModel,
    Restart,
    Terminate,
    Speed,
    Timing,
    Save,
    Explore,
    Lanes,
    TimelineOrBars,
    Zoom,
    MeasureAgain,
    Back,
    ReplayShortest,
    Again,
    ExploreAgain,
    Hint,
    NextGoal,
    /// The lesson's story, what to try and its goals, over the run screen.
    Lesson,
    /// The line of a free run is full: English keeps the keys bare, Chinese
    /// spells out `?` and `q` and leaves Esc out.
    BackWhileRunning,
    HelpWhileRunning,
    QuitWhileRunning,
    /// Esc on the line of a finished run: bare in English, "返回" in Chinese.
    BackWhenDone,
}

/// The word after a key; `Some("")` shows the key alone, `None` leaves the
/// key out of the line in this language.
pub fn hint_word(word: HintWord, lang: Lang) -> Option<&'static str> {
    use HintWord as W;
    let (en, zh) = match word {
        W::Bare => ("", ""),
        W::Choose => ("choose", "选择"),
        W::Open => ("open", "打开"),
        W::OpenNumber => ("open N", "打开第 N 课"),
        W::Scroll => ("story", "故事"),
        W::Lesson => ("lesson", "课程说明"),
        W::OtherLanguage => ("中文", "English"),
        W::Help => ("help", "帮助"),
        W::Quit => ("quit", "退出"),
        W::Step => ("step", "单步"),
        W::Next => ("next", "下一个"),
        W::StepNumber => ("step Pn", "单步 Pn"),
        W::Undo => ("undo", "撤销"),
        W::Play => ("play", "运行"),
        W::Pause => ("pause", "暂停"),
        W::Locks => ("locks", "锁"),
        W::TimingModel => ("sleeps", "睡眠"),
        W::Restart => ("restart", "重来"),
        W::Terminate => ("term", "终止"),
        W::Speed => ("speed", "速度"),
        W::Timing => ("timing", "计时"),
        W::Save => ("save", "保存"),
        W::Explore => ("explore", "探索"),
        W::Lanes => ("lanes", "进程"),
        W::TimelineOrBars => ("timeline/bars", "时间线/柱状图"),
        W::Zoom => ("zoom", "缩放"),
        W::MeasureAgain => ("measure again", "重新测量"),
        W::Back => ("back", "返回"),
        W::ReplayShortest => (
            "step through the shortest bad schedule",
            "逐步重放最短的出错调度",
        ),
        W::Again => ("again", "再来"),
        W::ExploreAgain => ("explore again", "再探索一次"),
        W::Hint => ("hint", "提示"),
        W::NextGoal => ("next goal", "下一个目标"),
        W::BackWhileRunning => match lang {
            Lang::En => return Some(""),
            Lang::Zh => return None,
        },
        W::HelpWhileRunning => ("", "帮助"),
        W::QuitWhileRunning => ("", "退出"),
        W::BackWhenDone => ("", "返回"),
    };
    Some(match lang {
        Lang::En => en,
        Lang::Zh => zh,
    })
}

/// A key's sentence in the help ("space steps the selected process").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyHelp {
    Choose,
    Open,
    Explore,
    Language,
    Quit,
    Step,
    StepNext,
    StepNumber,
    Lesson,
    Select,
    Click,
    PlayPause,
    Speed,
    Locks,
    TimingModel,
    RealPython,
    Restart,
    Terminate,
    Undo,
    Save,
    Back,
}

pub fn key_help(key: KeyHelp, lang: Lang) -> &'static str {
    use KeyHelp as K;
    let (en, zh) = match key {
        K::Choose => ("↑↓ or j k choose", "↑↓ 或 j k 选择"),
        K::Open => (
            "Enter or the lesson's number open (two digits from 10: 1 then 0) · PgUp PgDn scroll its story",
            "Enter 或课程编号 打开（10 以后按两位：先按 1 再按 0） · PgUp PgDn 滚动它的故事",
        ),
        K::Explore => (
            "e explore every schedule of the lesson",
            "e 探索这一课的所有调度",
        ),
        K::Language => ("L English / 中文", "L English / 中文"),
        K::Quit => ("q quit", "q 退出"),
        K::Step => ("space steps the selected process", "空格 单步所选进程"),
        K::StepNext => (
            "n steps the next one in turn (or the next step of a replay)",
            "n 按轮转单步下一个（重放时走重放的下一步）",
        ),
        K::StepNumber => ("1-9 select and step P1-P9", "1-9 选中并单步 P1-P9"),
        K::Lesson => (
            "i the lesson's story, what to try and its goals (any key closes it)",
            "i 课程的故事、试一试和目标（按任意键关闭）",
        ),
        K::Select => ("↑↓ / j k select", "↑↓ / j k 选择"),
        K::Click => ("a click selects a lane", "点击通道选中"),
        K::PlayPause => ("p play / pause a free run", "p 运行/暂停"),
        K::Speed => ("+ - speed", "+ - 速度"),
        K::Locks => (
            "l switch the locks off / on (restarts)",
            "l 关闭/打开锁（会重来）",
        ),
        K::TimingModel => (
            "w switch how steps treat sleeps: as written (a virtual clock: a sleeper waits until its sleep ends) or any timing (sleeps take no time) (restarts)",
            "w 切换单步时睡眠的算法：按代码计时（虚拟时钟：睡眠的进程要睡够才能走）或任意时序（睡眠不占时间）（会重来）",
        ),
        K::RealPython => (
            "c run the lesson's listing itself under CPython, or go back to the built-in engine (restarts)",
            "c 用 CPython 运行这一课的代码本身，或回到内置引擎（会重来）",
        ),
        K::Restart => ("r restart with fresh processes", "r 用新进程重来"),
        K::Terminate => (
            "t send SIGTERM to the selected process",
            "t 向所选进程发送 SIGTERM",
        ),
        K::Undo => (
            "u undo the last step: fresh processes re-run the steps before it",
            "u 撤销上一步：用新进程把之前的步骤重跑一遍",
        ),
        K::Save => (
            "s save the steps as a schedule file (lockstep --replay FILE opens it again)",
            "s 把步骤保存为调度文件（用 lockstep --replay 文件 重新打开）",
        ),
        K::Back => ("Esc back", "Esc 返回"),
    };
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// A help paragraph that lists keys: what comes before and after the
/// keys' sentences (which are joined with " · ").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyParagraph {
    Lessons,
    Stepping,
    Playing,
    Remaking,
    Everywhere,
}

pub fn key_paragraph(p: KeyParagraph, lang: Lang) -> (&'static str, &'static str) {
    use KeyParagraph as P;
    match (p, lang) {
        (P::Lessons, Lang::En) => ("Lessons: ", "."),
        (P::Lessons, Lang::Zh) => ("课程列表：", "。"),
        (P::Stepping, Lang::En) => ("Keys: ", "."),
        (P::Stepping, Lang::Zh) => ("按键：", "。"),
        (P::Playing | P::Remaking, Lang::En) => ("  ", "."),
        (P::Playing | P::Remaking, Lang::Zh) => ("  ", "。"),
        (P::Everywhere, Lang::En) => (
            "",
            " (from every screen). In this help: ↑↓ PgUp PgDn scroll, q quits, any other key closes it.",
        ),
        (P::Everywhere, Lang::Zh) => (
            "",
            "（任何界面都可以）。在帮助中：↑↓ PgUp PgDn 滚动，q 退出，其他键关闭帮助。",
        ),
    }
}

/// The help's paragraphs about the screen's panels, before the keys.
pub fn help_panels(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::En => &EN_PANELS,
        Lang::Zh => &ZH_PANELS,
    }
}

/// The help's paragraphs about explore, challenges, the pool, timing and
/// sockets, after the keys; `progress` is where won goals are kept.
pub fn help_topics(lang: Lang, progress: &str) -> Vec<String> {
    let topics: &[&str] = match lang {
        Lang::En => &EN_TOPICS,
        Lang::Zh => &ZH_TOPICS,
    };
    topics
        .iter()
        .map(|p| p.replace("{progress}", progress))
        .collect()
}

/// The picker's key line after the first digit of a two-digit number.
pub fn second_digit(first: usize, lessons: usize, lang: Lang) -> String {
    let last = lessons.min(first * 10 + 9);
    match lang {
        Lang::En => format!(
            "{first}… : 0-{} opens lesson {}-{last} · Enter opens lesson {first} · any other key: neither",
            last - first * 10,
            first * 10
        ),
        Lang::Zh => format!(
            "{first}…：按 0-{} 打开第 {}-{last} 课 · Enter 打开第 {first} 课 · 其他键：都不打开",
            last - first * 10,
            first * 10
        ),
    }
}

/// The title of the lesson's card over the run screen (`i`).
pub fn lesson_card_title(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "The lesson — ↑↓ scroll · any other key closes",
        Lang::Zh => "课程说明 — ↑↓ 滚动 · 其他键关闭",
    }
}

/// The help window's title.
pub fn help_title(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Help — ↑↓ scroll · q quit · any other key closes",
        Lang::Zh => "帮助 — ↑↓ 滚动 · q 退出 · 其他键关闭",
    }
}

static EN_PANELS: [&str; 11] = [
    "Header: the lesson, then its mode: STEP (stopped at the gates: you step), RUN (a free run, real sleeps), PAUSED (a free run on hold), DONE (every process ended, or a deadlock). Each lock is ON or OFF; speed N× scales the sleeps of a free run; the seconds count from when the first process begins to run (the timeline's whole run, which also counts the pauses), stand still while PAUSED and stop at DONE; a stepped run keeps its steps instead. While you STEP it shows the timing model and the steps taken: as written 0.30 s (a virtual clock: a sleeping process cannot be stepped before its sleep ends, shown as sleeping → 1.00 s; when nobody awake can move, the clock jumps to the first wake-up) or any timing (sleeps take no time: every order the OS could produce). w switches them.",
    "Processes 2/20: the selected lane (2) of all the lanes (20); ↑↓ or a click selects, space and t act on it. One lane per real OS process. P = its number (the key to press) and what the listing calls it (main, p1, guest 0), pid = its OS id, S = the state the kernel reports in /proc/PID/stat: R running, S sleeping, D disk wait, Z zombie (exited, not yet reaped by its parent), T stopped.",
    "  state = where lockstep sees it: ready (at its gate: it can be stepped), running, sleeping, waits for a lock (and who holds it), done, exit code or signal. In a process tree, children sit under their parent (├─ └─): not started, waits: join Pn (name), at exit: join Pn (the join Python does once the main code has ended), zombie, orphan.",
    "  op = the listing's statement it runs next, and its line (lockstep's own words where the listing has none); the code panel marks that line, and the line after a program's last one while it joins its children at exit. In the side panel, P1 children: each child and how it stands: not started, alive (started, not ended: is_alive() is True), daemon (an alive daemon), zombie, or exit N (reaped with exit code N).",
    "Locks: who holds each lock or semaphore and who waits, in arrival order; permits in use / total. OFF: acquire and release do nothing in this run.",
    "Lines 6–8: a stretch of the listing only so many may be in at once (a room): how many are inside against the limit, and who; P1–P5 means P1 to P5. P1† is a process that has died (ended, or a zombie) while still named there: a lock it held is never released.",
    "  Shared values: the current value, the expected final value, and the latest reads and writes; a write based on a stale read is marked LOST UPDATE.",
    "Python: the lesson's code; a marker left of a line shows who is about to run it: P4▶ is one process (P4), 18×▶ is 18 processes at that line. The panel keeps the selected process's line in view.",
    "Output: what the processes printed, newest at the bottom, each line with the P that printed it; a line in [brackets] is something it did, not printed (terminate()).",
    "Events, pipes, queues: an event is set or clear, with who waits on it; each pipe end shows which processes hold it open and what waits in its inbox (recv ends with EOF once no copy of the other end is open); a queue shows its items, put/got/done counts, unfinished tasks, and who waits in get or join.",
    "Verdict: the lesson's check, live: green OK so far; red with what broke and at which step; DEADLOCK names who waits for whom. Under it, steps: the processes you stepped, in order (2 = P2); the newest when they do not fit. s saves them, u takes the last back.",
];

static EN_TOPICS: [&str; 6] = [
    "Explore (e): every order in which the steps of a lesson shrunk to 2 or 3 processes can interleave, with the locks off and on, each on fresh real processes; bars show how the key value ended. Enter steps through the shortest bad schedule with n.",
    "Challenges: the goal line says what to make happen; h shows a hint, g the next goal; a won goal is remembered in {progress}.",
    "Pool: the lesson runs by itself and is measured (nothing to step; r measures again). Measured time: each phase (start Pool(4), apply, apply_async, map, close()+join(), 100 processes) with its wall-clock time in ms and a bar to scale. Callbacks, run in the parent: each apply_async callback with the pid that ran it and when, in ms from the start. Tasks per pool worker in Pool(4).map: how many of that phase's tasks each worker process (W1… and its pid) ran, as `lockstep run pool` counts them.",
    "  v bars ⇄ timeline (█ running ┃ briefly ▒ starting ─ waiting), ←→ zoom.",
    "Other lessons: v lanes ⇄ a timeline per process and measured times (each group's sleeps added up vs first start → last join), ←→ zoom.",
    "Servers, connections (chat): a server listens on 127.0.0.1, with the processes holding it and how many it accepted; each connection c1, c2… shows client ⇄ the process serving it, who holds each side open, bytes in flight (→ to the server, ← to the client), who waits in recv, and who read b'' (the other side closed).",
];

static ZH_PANELS: [&str; 11] = [
    "标题栏：课程名，然后是模式：单步（STEP，停在闸门前，由你单步）、运行（RUN，自由运行，真实睡眠）、暂停（PAUSED，自由运行暂停中）、结束（DONE，所有进程都已结束，或者死锁）。每个锁显示 开 或 关；速度 N× 是自由运行时睡眠的倍速；秒数从第一个进程开始运行时算起（与时间线的「全程」相同，全程还包括暂停的时间），暂停时不走，结束时停止；单步走完的运行仍显示步数。单步时显示计时方式和已走的步数：按代码计时 0.30 s（虚拟时钟：睡眠中的进程要睡够才能单步，显示为 睡眠 → 1.00 s；没有醒着的进程能走时，时钟跳到最早醒来的时刻）或任意时序（睡眠不占时间：操作系统可能排出的任何顺序）。按 w 切换。",
    "进程 2/20：所选通道（2）/ 通道总数（20）；↑↓ 或点击选择，空格和 t 作用于它。每条通道是一个真实的操作系统进程。P = 编号（要按的键）和代码里的名字（main、p1、guest 0），pid = 系统进程号，S = 内核在 /proc/PID/stat 中报告的状态：R 运行，S 睡眠，D 磁盘等待，Z 僵尸（已退出但父进程尚未回收），T 已停止。",
    "  状态 = lockstep 看到的位置：就绪（停在闸门前，可单步）、运行、睡眠、等待某个锁（以及谁持有它）、完成、退出码或信号。进程树中子进程缩进在父进程下（├─ └─）：未启动、等待 join Pn（名字）、退出时 join Pn（主代码结束后 Python 做的 join）、僵尸、孤儿。",
    "  操作 = 它下一步要执行的代码语句及其行号（代码里没有的地方用 lockstep 自己的说法）；代码面板标出那一行，进程在退出时 join 子进程的期间则标在程序最后一行的下一行。侧面板里，P1 的子进程：每个子进程和它的状况：未启动、存活（已启动、未结束：is_alive() 为 True）、守护进程（存活的守护进程）、僵尸，或 退出码 N（被回收时的退出码为 N）。",
    "锁：每个锁或信号量的持有者和按到达顺序排队的等待者；许可 已用/总数。关：本次运行中 acquire 和 release 什么也不做。",
    "第 6–8 行：代码里同时只允许有限个进程在内的一段（房间）：在内的进程数与上限，以及是谁；P1–P5 表示 P1 到 P5。P1† 表示这个进程已经死了（已结束或成了僵尸），却仍被列在那里：它持有的锁永远不会被释放。",
    "  共享数据：当前值、预期的最终值，以及最近的读写；基于过期读取的写入标为「丢失更新」。",
    "Python：这一课的代码；行左边的标记表示谁正要执行这一行：P4▶ 是一个进程（P4），18×▶ 是有 18 个进程停在这一行。面板总是让所选进程所在的行可见。",
    "输出：各进程打印的内容，最新的在最下面，每行前面是打印它的进程 P；[方括号] 里的一行是它做的事，不是它打印的（terminate()）。",
    "事件、管道、队列：事件是否已 set，以及谁在等它；管道的每一端显示哪些进程打开着它、收件箱里有什么（另一端的副本全部关闭后，recv 以 EOF 结束）；队列显示其中的数据、put/get/完成次数、未完成的任务，以及谁在 get 或 join 里等待。",
    "结论：实时检查：绿色表示目前正常；红色说明哪里出错以及第几步出错；死锁（DEADLOCK）会指出谁在等谁。下面的 步骤：你单步过的进程，按顺序（2 = P2）；放不下时只显示最新的。s 保存它们，u 撤销最后一步。",
];

static ZH_TOPICS: [&str; 6] = [
    "探索（e）：把这一课缩小到 2 或 3 个进程，在关锁和开锁两种情况下，用新的真实进程跑遍所有步骤交错顺序；柱状图显示关键数值的结果。Enter 之后用 n 逐步重放最短的出错调度。",
    "挑战：目标行写着要达成什么；h 显示提示，g 换下一个目标；完成的目标记在 {progress}。",
    "进程池：这一课自己运行并计时（不能单步；r 重新测量）。实测耗时：每个阶段（启动 Pool(4)、apply、apply_async、map、close()+join()、100 个进程）的实际耗时（毫秒，ms）和按比例的柱。回调（在父进程中运行）：每个 apply_async 回调、运行它的 pid 以及时间（从开始算起的毫秒数，ms）。Pool(4).map 中各工作进程的任务：这一阶段的任务里，每个工作进程（W1… 及其 pid）执行了多少个，与 `lockstep run pool` 的计数相同。",
    "  v 柱状图 ⇄ 时间线（█ 运行 ┃ 短暂运行 ▒ 启动中 ─ 等待），←→ 缩放。",
    "其他课程：v 进程列表 ⇄ 每个进程的时间线和实测耗时（每组睡眠之和 对比 第一次 start → 最后一次 join），←→ 缩放。",
    "服务器、连接（chat）：服务器在 127.0.0.1 上监听，显示哪些进程持有它、已 accept 了多少连接；每个连接 c1、c2…… 显示客户端 ⇄ 为它服务的进程、两端各在哪些进程里打开、路上的字节（→ 发往服务器，← 发往客户端）、谁在 recv 里等，以及谁读到了 b''（另一端已关闭）。",
];
