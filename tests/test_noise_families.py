"""Noise families of pasted threads (issue I): each a small synthetic paste, with the structure it holds."""

from __future__ import annotations

from archiver.reconstruct import _gap_score
from archiver.segment import segment_lines, weighted_length
from archiver.settings import Settings, using
from archiver.markers import find_marker
from archiver.models import split_lines
from archiver.parse import parse_text

from archive_helpers import assert_nothing_lost


def structure(text: str) -> list[tuple]:
    """[(kind, total, missing, [(n, line_start, line_end, also), ...]), ...] of a paste, nothing lost."""
    result = parse_text(text)
    assert_nothing_lost(result.to_json(), split_lines(text))
    return [(t.kind, t.total, t.missing, [(p.n, p.line_start, p.line_end, p.also) for p in t.parts])
            for t in result.threads]


def test_repaste_in_a_row_is_one_thread_with_an_also_span():
    text = ("1/3 The court fined the bureau today.\n2/3 Its work is suspended for three months.\n"
            "2/3 Its work is suspended for three months.\n3/3 The bureau will appeal the decision.\n")
    assert structure(text) == [("thread", 3, [], [(1, 1, 1, []), (2, 2, 2, [(3, 3)]), (3, 4, 4, [])])]


def test_an_action_bar_line_and_an_author_line_are_chrome():
    text = ("Aigerim N. @aigerim_monitor\n1/2 The court fined the bureau today.\nLike  Retweet  Reply\n"
            "2/2 Its work is suspended for three months.\n")
    result = parse_text(text)
    (thread,) = result.threads
    assert [(p.n, p.text) for p in thread.parts] == [
        (1, "The court fined the bureau today."), (2, "Its work is suspended for three months.")]
    assert thread.author == "@aigerim_monitor"
    assert [(d.line_start, d.line_end) for d in result.dropped] == [(1, 1), (3, 3)]


def test_a_sentence_that_ends_with_a_mention_is_text():
    text = "1/2 We thank the observers.\n2/2 And @AstroRana\n"
    assert structure(text) == [("thread", 2, [], [(1, 1, 1, []), (2, 2, 2, [])])]


def test_a_trailing_handle_signs_the_text_above():
    text = "Drones were shot down over the city tonight.\nThey fell on two streets.\n#Belgorod #Drones\n@anna_news\n"
    assert structure(text) == [("post", None, [], [(1, 1, 4, [])])]


def test_own_line_markers_take_the_side_the_thread_gave_them():
    text = ("(1/3) We study diverse policies. <LINK>\n2/3\nThe key idea is to learn several policies.\n"
            "Each one solves the task differently.\n3/3\nWe call it structured maximum entropy RL.\n\n"
            "Check out the paper for the results!\n")
    assert structure(text) == [("thread", 3, [], [(1, 1, 1, []), (2, 2, 4, []), (3, 5, 8, [])])]


def test_a_bracketed_marker_with_no_total_after_the_text():
    tweets = ["New paper out! It has two parts; in the first I look at Lovelock scalars, curvature invariants that "
              "give second order equations of motion. <LINK> (1/)",
              "There is a formula that tells you how conical singularities give delta function contributions to "
              "them, and it is useful for computing entanglement entropy in higher dimensional theories.",
              "In the second part, I try to apply the formula in a topological theory of gravity in higher "
              "dimensions, where the action is built from the Euler density of the manifold.",
              "Turns out that its Euclidean action behaves in a very simple way in the presence of defects, which "
              "is crucial for the replica trick to work at all in this theory.",
              "A lot of moments where things magically fell into place happened during this project, and those "
              "made it a joy to work on; thanks to everyone who listened to me talk about it. (5/n)"]
    text = "\n\u2800\n".join(tweets) + "\n"
    first = parse_text(text).threads[0].parts[0]
    assert (first.marker, first.inferred) == ("(1/)", False)
    assert structure(text) == [("thread", None, [], [(1, 1, 1, []), (2, 3, 3, []), (3, 5, 5, []), (4, 7, 7, []),
                                                     (5, 9, 9, [])])]


def test_mentions_and_links_after_a_closing_marker_stay_with_its_post():
    text = ("We find slices of data for which ranking models underperform. (1/3)\n\u2800\n@workshop #EMNLP\n<LINK>\n"
            "2/3\nWe first define slicing functions.\n3/3\nSlice-aware models help on three tasks.\n")
    assert structure(text) == [("thread", 3, [], [(1, 1, 4, []), (2, 5, 6, []), (3, 7, 8, [])])]


def test_nothing_joins_a_thread_after_its_last_number():
    text = ("Open questions on poisoned classifiers remain.\n(3/3)\n\n<LINK>\nAmbulance chasing is for boys, "
            "with a paper it is for men. Take a look at our new work on electron recoils.\n")
    threads = structure(text)
    assert threads[0][0:2] == ("thread", 3)
    assert threads[0][3][-1][1:3] == (1, 2)
    assert threads[1][3][0][1:3] == (4, 5)


def test_interleaved_timelines_give_one_thread_per_author():
    posts = [("Aigerim S.", "aigerim_kz", "Observers at station 112 were asked to leave. (1/3)"),
             ("Daniyar T.", "daniyar_t", "Turnout in Almaty looks low this morning. 1/2"),
             ("Aigerim S.", "aigerim_kz", "The chair said the room was too small. (2/3)"),
             ("Daniyar T.", "daniyar_t", "Queues are short at every station we visited. 2/2"),
             ("Aigerim S.", "aigerim_kz", "We filed a complaint this morning. (3/3)")]
    text = "".join(f"{name} @{handle} · Jun 1\n{body}\n12\n40\n" for name, handle, body in posts)
    threads = structure(text)
    assert [(kind, total, [p[0:3] for p in parts]) for kind, total, _, parts in threads] == [
        ("thread", 3, [(1, 2, 2), (2, 10, 10), (3, 18, 18)]),
        ("thread", 2, [(1, 6, 6), (2, 14, 14)])]


def test_an_authors_unnumbered_thread_is_joined_across_another_authors_posts():
    posts = [("Patrick V.", "patrick_v", "New paper day! A brief explainer thread below."),
             ("Soheil F.", "soheil_f", "How well do saliency methods work on time series? 1/2"),
             ("Patrick V.", "patrick_v", "TESS monitors big chunks of the sky for about a month at a time."),
             ("Soheil F.", "soheil_f", "In general they fail to find the important features. 2/2"),
             ("Patrick V.", "patrick_v", "This is our biggest supernova paper yet, with twenty bright events.")]
    text = "".join(f"{name}\n@{handle}\n{body}\n23:27 · 16 sept. 2020\n" for name, handle, body in posts)
    threads = structure(text)
    assert [(kind, total, [p[0:3] for p in parts]) for kind, total, _, parts in threads] == [
        ("thread", None, [(1, 3, 3), (2, 11, 11), (3, 19, 19)]),
        ("thread", 2, [(1, 7, 7), (2, 15, 15)])]


def test_a_marker_line_between_two_texts_takes_the_side_of_the_threads_other_markers():
    text = ("New paper alert! Teaching agents to act with motivation.\n<LINK>\n1/4\n"
            "We release datasets of character centric quests.\n2/4\n"
            "We mix big transformer pretraining and RL to train the agents. 3/4\n"
            "This is the result of my time at the lab, thanks to the teams. 4/4\n")
    assert structure(text) == [("thread", 4, [], [(1, 1, 3, []), (2, 4, 5, []), (3, 6, 6, []), (4, 7, 7, [])])]


def test_the_authors_bare_numbers_on_their_own_lines_are_markers():
    text = ("Observers at polling station 112 were asked to leave before the count.\n2\n"
            "The commission chair said the room was too small for them.\n3\n"
            "We filed a complaint this morning.\n4\nMore when we hear back.\n")
    assert structure(text) == [("thread", None, [], [(1, 1, 1, []), (2, 2, 3, []), (3, 4, 5, []), (4, 6, 7, [])])]


def test_counts_under_a_post_stay_chrome():
    text = "Aigerim S.\n@aigerim_kz\nObservers were asked to leave.\n3\n5\n21\n"
    result = parse_text(text)
    assert [p.text for t in result.threads for p in t.parts] == ["Observers were asked to leave."]


def test_a_marker_glued_to_the_end_punctuation():
    text = ("Observers were asked to leave the station before the count..1/n\n"
            "The chair said the room was too small for them!2/n\n"
            "We filed a complaint this morning...3/n\n")
    result = parse_text(text)
    (thread,) = result.threads
    assert [(p.n, p.marker, p.text) for p in thread.parts] == [
        (1, "1/n", "Observers were asked to leave the station before the count.."),
        (2, "2/n", "The chair said the room was too small for them!"),
        (3, "3/n", "We filed a complaint this morning...")]


def test_a_marker_glued_to_a_full_width_full_stop():
    text = ("選挙管理委員会は今日、監視団の報告を公開しました。.1/3\n"
            "監視員は開票前に部屋から出るよう求められました。..2/3\n"
            "私たちは今朝、委員会に苦情を申し立てました。3/3\n")
    (thread,) = parse_text(text).threads
    assert [(p.n, p.marker) for p in thread.parts] == [(1, "1/3"), (2, "2/3"), (3, "3/3")]


def test_a_second_version_of_a_thread_keeps_a_part_it_shares_with_the_first():
    # two versions of one thread in a draft, each part under its heading: the second's 3/3 is word
    # for word the first's, but it is the next number of the thread being pasted, no copy pasted again
    def version(texts: list[str]) -> str:
        return "".join(f"### **Tweet {k}/3:**\n```\n{t}\n```\n\n" for k, t in enumerate(texts, 1))
    text = ("# Launch thread\n\n" + version(["The court fined the bureau today.", "Its work is suspended for three months.",
                                            "Follow the appeal with us: #Almaty #HumanRights"])
            + "---\n\n## Shorter version\n\n" + version(["The court in Almaty fined the observers' bureau.",
                                                          "The bureau may not work until March.",
                                                          "Follow the appeal with us: #Almaty #HumanRights"]))
    assert [(t[1], t[2], [p[:4] for p in t[3]]) for t in structure(text)] == [
        (3, [], [(1, 3, 6, []), (2, 8, 11, []), (3, 13, 16, [])]),
        (3, [], [(1, 22, 25, []), (2, 27, 30, []), (3, 32, 35, [])])]
    # a part pasted again right after itself is still one part with an `also` span
    again = "1/3 The court fined the bureau today.\n2/3 Its work is suspended.\n2/3 Its work is suspended.\n3/3 It appeals.\n"
    assert [(t[1], [p[:4] for p in t[3]]) for t in structure(again)] == [(3, [(1, 1, 1, []), (2, 2, 2, [(3, 3)]), (3, 4, 4, [])])]


def test_marker_lines_take_their_own_threads_side_not_another_threads_of_the_same_total():
    # `1/3` under an unnumbered opening closes it (the thread's opening text is its part 1); a later
    # thread of the same total, with its markers opening its lines, says nothing of this one's side
    abstract = ("We study how observers at polling stations report irregularities and how the reports are checked, "
                "using the data of two national elections and a model of the count that we fit to the protocols of "
                "every station, which lets us tell errors from deliberate changes; most reports are borne out by the "
                "protocols, and the rest cluster in a few regions where the same commissions served in both elections "
                "and where observers were most often asked to leave.")
    text = ("Breaking news: the court ruled today.\n\nThe bureau is fined and suspended for three months.\n1/3\n"
            "Its lawyers say they will appeal within the week.\n2/3\nThe hearing took four hours.\n3/3\n\n"
            f"Observing the Count: Reports of Irregularities\n  at Polling Stations\n{abstract}\n\n"
            "https://twitter.com/daniyar_t/status/1\n"
            "1/3 Observers were asked to leave station 112.\n2/3 The chair said the room was too small.\n"
            "3/3 We filed a complaint this morning.\n")
    threads = structure(text)
    assert threads[0] == ("thread", 3, [], [(1, 1, 4, []), (2, 5, 6, []), (3, 7, 8, [])])
    assert threads[-1] == ("thread", 3, [], [(1, 15, 15, []), (2, 16, 16, []), (3, 17, 17, [])])


def test_a_marker_glued_to_the_last_word_of_a_part():
    # the marker's word is the part's last line of its own (`approx)..3/9`), or ends in a symbol
    # (`paper^^.2/2`), or opens the line before a link (`#election..1/2 <LINK>`)
    assert [(find_marker(s).n, find_marker(s).total) for s in ("approx)..3/9", "the paper^^.2/2", "#election..1/2 <LINK>")] == [
        (3, 9), (2, 2), (1, 2)]
    assert find_marker("3/9").position == "line" and find_marker("4.5/5") is None


def test_links_in_a_row_count_once_against_a_posts_length():
    # `Paper: <LINK> <LINK> <LINK>`: a link, then media or a quoted post, which X leaves out of the
    # 280 characters; the part is not too long for one post, and its text above stays in it
    body = ("In new work we add a fairness knob to the methods that train the observers' models of the count: "
            "to the best of our knowledge it is the first such knob, and it costs little in accuracy on the "
            "polling stations of the last two elections in the country.")
    text = f"{body}\n\nPaper: <LINK> <LINK> <LINK> 1/2\n\nWe give a method to design the models from the data.\n2/2\n"
    assert structure(text) == [("thread", 2, [], [(1, 1, 3, []), (2, 5, 6, [])])]
    assert weighted_length("a <LINK> <LINK>") == 26 and weighted_length("a <LINK> b <LINK>") == 51


def test_a_score_is_not_a_glued_marker():
    assert parse_text("We rated the new law 4.5/5 for clarity.\n").threads[0].parts[0].marker is None


def test_a_marker_line_after_a_spacer_takes_the_side_the_threads_last_marker_shows():
    text = ("Some open questions remain about the bounds.\n\u2800\n3/4\nJoint work with Yair, John and Aaron!\n"
            "\u2800\nPaper: <LINK>\n\u2800\n4/4\n")
    # 4/4 can only close its text (nothing follows it): so does 3/4, though it touches the text below
    threads = structure(text)
    assert [p[0:3] for p in threads[-1][3]] == [(3, 1, 3), (4, 4, 8)]


def test_a_thread_after_a_closing_marker_line_opens_with_its_unmarked_lines():
    # no blank line after `(2/2)`: the next thread's headline and text are its part 1, which the
    # `1/3 <LINK>` line under them closes (the first thread is complete: nothing of it follows)
    text = ("The bureau was fined on Monday.\n(2/2)\n🚨New report🚨\nObservers were asked to leave station 112.\n"
            "<LINK>\n1/3 <LINK>\nThe chair said the room was too small.\n(2/3)\nThey were let back in for the count.\n(3/3)\n")
    threads = parse_text(text).threads
    second = threads[-1]
    assert (second.total, [p.n for p in second.parts], second.parts[0].line_start) == (3, [1, 2, 3], 3)


def test_bare_numbers_that_skip_missing_posts_still_number_them():
    text = ("New paper on the interior of black holes.\n<LINK>\n2\nEarlier work built the operator from old radiation.\n"
            "4\nBut an infalling observer changes the picture.\n5\nWith backreaction the operator stays inside.\n"
            "7\nThe new radiation then carries no information.\n")
    [thread] = parse_text(text).threads
    assert ([p.n for p in thread.parts], thread.missing) == ([1, 2, 4, 5, 7], [3, 6])


def test_a_handle_signing_a_post_stays_in_it_where_headers_name_their_authors():
    post = "Aigerim S.\n@aigerim_kz\n{}\n15:02 · 7 juil. 2020\n80 Retweets\n"
    text = (post.format("Joint work with the observers' bureau.\nCode: <LINK>\n@ruslan_k")
            + post.format("Unlike the count, the protocol was signed at dawn."))
    [thread] = parse_text(text).threads
    assert [(p.line_start, p.line_end) for p in thread.parts] == [(3, 5), (10, 10)]


def test_a_marker_without_its_total_continues_the_thread_it_follows():
    text = ("1/3 We have written a new paper about the count at station 112.\n\n"
            "The protocol photographs are rich, with seven signatures missing. (2/)\n\n"
            "3/3 All in all, the count was not observed.\n")
    [thread] = parse_text(text).threads
    assert ([p.n for p in thread.parts], thread.total, thread.missing) == ([1, 2, 3], 3, [])


def test_a_thread_goes_on_after_a_post_pasted_again_in_a_row_in_a_page_copy():
    bar = "Répondre   Retweeter   J’aime   Partager\n"
    posts = ["The count at station 112 took four hours.", "Observers were asked to leave at ten.",
             "The chair said the room was too small.", "The chair said the room was too small.",
             "Two of them were let back in for the count.", "The protocol was signed at dawn."]
    numbers = [1, 2, 3, 3, 4, 5]
    text = "".join(f"{body}\n{n}/5\n{bar}" for body, n in zip(posts, numbers))
    [thread] = parse_text(text).threads
    assert ([p.n for p in thread.parts], thread.missing, thread.parts[2].also) == ([1, 2, 3, 4, 5], [], [(10, 11)])


def test_bare_numbers_under_rules_number_the_posts():
    text = ("The court fined the bureau today.\n---\n2\nIts work is suspended for three months.\n---\n"
            "3\nThe bureau will appeal the decision.\n")
    assert structure(text) == [("thread", None, [], [(1, 1, 1, []), (2, 3, 4, []), (3, 6, 7, [])])]


def test_a_name_over_a_handle_under_a_post_signs_it():
    # `Led by ...` over `@org` right under the text, with a status URL next: a signature, no header
    text = ("1/2 The court fined the bureau today.\n\n2/2 The bureau will appeal.\nLed by Aigerim Seisembayeva\n"
            "@ewatch_kz\n\nhttps://twitter.com/daniyar_t/status/1\nA post of another account.\n")
    assert structure(text)[0] == ("thread", 2, [], [(1, 1, 1, []), (2, 3, 5, [])])


def test_a_handle_that_signs_other_parts_signs_under_a_short_line_too():
    # `@ewatch_kz` signs parts 1 and 2 under their text; under part 3's short closing line it could
    # read as a name over its handle, heading part 4 as another account's post: it signs part 3
    text = ("1/4 The court in Almaty fined the observers' bureau today.\n@ewatch_kz\n\n"
            "2/4 Its work is suspended for three months from Monday on.\n"
            "@ewatch_kz\n\n3/4 The bureau will appeal the decision.\nMore soon 🙏\n@ewatch_kz\n\n"
            "4/4 Lawyers say the hearing took four hours.\n")
    assert structure(text) == [("thread", 4, [], [(1, 1, 2, []), (2, 4, 5, []), (3, 7, 9, []), (4, 11, 11, [])])]


def test_a_name_over_a_handle_under_a_post_before_a_blank_line_signs_it():
    # `Led by ...` over `@org` right under the text and a blank line after it: a post's header has
    # its text right under it, so this one heads nothing (the article below is none of its posts)
    abstract = ("We study how observers at polling stations report irregularities and how the reports are "
                "checked, using the data of two national elections and a model of the count that we fit to "
                "the protocols of every station, which lets us tell errors from deliberate changes; the model "
                "finds that most reports are borne out by the protocols, and that the rest cluster in few regions "
                "where the same commissions served in both elections and where observers were most often asked to leave.")
    text = ("1/2 The court fined the bureau today.\n\n2/2 The bureau will appeal.\nLed by Aigerim Seisembayeva\n"
            f"@ewatch_kz\n\nObserving the Count: Reports of Irregularities\n  at Polling Stations\n{abstract}\n")
    threads = structure(text)
    assert threads[0] == ("thread", 2, [], [(1, 1, 1, []), (2, 3, 5, [])])
    assert threads[1][0] == "article"


def test_an_indented_line_starting_with_by_runs_on_from_the_line_above():
    # ` by @a @b etc.` under a link: the sentence goes on (`Or <link> by ...`), it is no byline
    text = ("1/2 The court fined the bureau today.\nThe ruling:\nhttps://example.org/ruling\n"
            " by @aigerim_kz @daniyar_t etc.\n\n2/2 The bureau will appeal.\n")
    assert structure(text) == [("thread", 2, [], [(1, 1, 4, []), (2, 6, 6, [])])]


def test_a_name_in_lower_case_over_each_post_is_its_header_when_the_handle_spells_it():
    # `jörn jacobsen @jorn_jacobsen` is the account's name, lower case or not; `thanks @anna_k` is text
    text = "".join(f"jörn jacobsen @jorn_jacobsen\n{n}/3 {body}\nReply   Retweet   Like\n"
                   for n, body in [(1, "The court fined the bureau today."), (2, "Its work is suspended, thanks @anna_k"),
                                   (3, "The bureau will appeal.")])
    assert structure(text) == [("thread", 3, [], [(1, 2, 2, []), (2, 5, 5, []), (3, 8, 8, [])])]


def test_a_handle_under_a_post_before_its_counts_signs_it():
    # headers on one line (`Name @x · 2h`); the handle under the text is followed by counts and the
    # next header, so it heads no post
    text = "".join(f"Aigerim N. @aigerim_kz · Mar 4\n{n}/3 {body}\n@ewatch_kz\n12\n40\n"
                   for n, body in [(1, "The court fined the bureau today."), (2, "Its work is suspended."),
                                   (3, "The bureau will appeal.")])
    assert structure(text) == [("thread", 3, [], [(1, 2, 3, []), (2, 7, 8, []), (3, 12, 13, [])])]


def test_a_handle_under_a_post_over_its_time_client_and_counts_signs_it():
    # the focused post of a page shows its time, client and counts under its text: a handle line
    # right above them ends the text (`----- Thread` over `@ewatch_kz`), it heads nothing
    text = ("1/3 The court fined the bureau today.\n\n2/3 Its work is suspended.\n\n"
            "3/3 The bureau will appeal.\n----- Thread\n@ewatch_kz\n9:33 · 8 sept. 2022\n·Twitter for iPhone\n"
            "255 Retweets\n\nA post of another account about the ruling.\n")
    assert structure(text)[0] == ("thread", 3, [], [(1, 1, 1, []), (2, 3, 3, []), (3, 5, 7, [])])


def test_accounts_under_a_full_post_stay_in_it():
    body = ("The court in Almaty fined the observers' bureau today and suspended its work for three months, "
            "after a hearing of four hours that the press could not attend. The bureau's lawyers say they will "
            "appeal within the week, and that they were given the ruling in Kazakh and in Russian only late.")
    text = f"1/2 {body}\n@ewatch_kz @daniyar_t\n\n2/2 The bureau will appeal.\n"
    assert structure(text) == [("thread", 2, [], [(1, 1, 2, []), (2, 4, 4, [])])]


def test_a_threads_unnumbered_opening_pasted_twice_in_a_row_opens_it():
    # a web-UI copy: the opening post, with no marker, is pasted twice (each copy under its header);
    # the first copy is part 1, the second an `also` span, and the numbered posts go on from it
    header = "Aigerim N.\n@aigerim_kz\n"
    chrome = "5:03 AM · Dec 24, 2022\n17 Reposts\n773 Likes\n"
    opening = "The court in Almaty fined the observers' bureau today and suspended its work.\n"
    text = (header + opening + chrome + header + opening + chrome
            + header + "The hearing took four hours and the press was kept out of the room.\n" + chrome
            + header + "The bureau will appeal the ruling within the week.3/4\n" + chrome
            + header + "Its lawyers were given the ruling only in the evening.4/4\n" + chrome)
    assert structure(text) == [("thread", 4, [], [(1, 3, 3, [(9, 9)]), (2, 15, 15, []), (3, 21, 21, []),
                                                  (4, 27, 27, [])])]


def test_a_marker_glued_to_a_handle_ending_in_a_digit():
    text = "1/3 The court fined the bureau.\n2/3 The bureau will appeal.\nJoint work with @ewatch2022..3/3 <LINK>\n"
    from archiver.markers import find_marker
    assert find_marker("Joint work with @ewatch2022..3/3 <LINK>").text == "3/3"
    assert find_marker("rated 4.5/5 by the observers") is None  # a score
    assert structure(text) == [("thread", 3, [], [(1, 1, 1, []), (2, 2, 2, []), (3, 3, 3, [])])]


def test_a_timeline_authors_unmarked_post_continues_their_1_of_n_thread():
    # two authors' threads interleaved in a timeline: the first opens with a glued `1/n`, its second
    # post has no marker; it is part 2 of that thread, not a post of its own
    def post(name, handle, time, body):
        return f"{name}\n@{handle}\n{body}\n{time}\n·Twitter Web App\n12 Retweets\n40 Likes\n"
    text = (post("Aigerim N.", "aigerim_kz", "12:54 PM · Mar 1, 2022",
                 "The court fined the bureau today, in a hearing closed to the press @ewatch2022..1/n")
            + post("Daniyar T.", "daniyar_t", "6:23 PM · Mar 2, 2022", "Observers were asked to leave. (1/)")
            + post("Daniyar T.", "daniyar_t", "6:24 PM · Mar 2, 2022", "The chair said the room was too small. (2/)")
            + post("Aigerim N.", "aigerim_kz", "12:57 PM · Mar 1, 2022", "Its work is suspended for three months.")
            + post("Daniyar T.", "daniyar_t", "6:25 PM · Mar 2, 2022", "We counted 40 ballots too many. (3/)"))
    threads = parse_text(text).threads
    assert [(t.author, [p.n for p in t.parts]) for t in threads] == [
        ("@aigerim_kz", [1, 2]), ("@daniyar_t", [1, 2, 3])]


def test_the_first_post_of_a_copy_that_opens_with_its_header_is_one_post_however_long():
    line = "The court in Almaty fined the observers' bureau today and suspended its work for three months. "
    text = (f"Aigerim N.\n@aigerim_kz\n{line * 2}\n<LINK>\nwith @daniyar_t and {line}\n9:47 PM · Mar 20, 2022\n"
            f"140 Retweets\nDaniyar T.\n@daniyar_t\nThe bureau will appeal.\n9:51 PM · Mar 20, 2022\n")
    assert structure(text)[0] == ("post", None, [], [(1, 3, 5, [])])


def test_a_line_of_mentions_and_links_ends_the_post_above_it():
    text = ("The court fined the bureau today, and we asked why.\n\n@ewatch_kz #KZelections\n<LINK>\n\n"
            "Its work is suspended for three months.\n(2/3)\n\nThe bureau will appeal.\n(3/3)\n")
    assert structure(text) == [("thread", 3, [], [(1, 1, 4, []), (2, 6, 7, []), (3, 9, 10, [])])]


def test_a_full_post_with_its_media_link_is_one_post():
    # 280 weighted characters of text or so and, after them, the link of the post's photo, which X
    # does not count: one post, not two
    text = ("How valuable are court observers in an election? How many of them are needed to see a count done "
            "well? How well did the commission do?\nWe answer these in our new report <LINK> Joint work with "
            "Aigerim, Daniyar, Saule and the bureau's lawyers in Almaty and Astana. <LINK>\n\n"
            "2/2 More on this tomorrow.\n")
    assert structure(text) == [("thread", 2, [], [(1, 1, 2, []), (2, 4, 4, [])])]


def test_a_timeline_authors_unmarked_opening_is_part_1_of_the_numbered_posts_after_others():
    text = ("Aigerim N. @aigerim_kz\nA new report is out today on the count at station 112.\n\n"
            "Daniyar T. @daniyar_t\nObservers were asked to leave the room before the count.\n\n"
            "Aigerim N. @aigerim_kz\n2/3 The chair said the room was too small for everyone.\n\n"
            "Aigerim N. @aigerim_kz\n3/3 The bureau will appeal the ruling within the week.\n")
    threads = parse_text(text).threads
    assert [(t.author, [(p.n, p.line_start) for p in t.parts]) for t in threads] == [
        ("@aigerim_kz", [(1, 2), (2, 8), (3, 11)]), ("@daniyar_t", [(1, 5)])]


def test_bare_numbers_under_an_authors_headers_number_their_posts_across_other_authors():
    # the number sits between the header and the text, where no count stands; the author's run
    # 3, 4 (part 2 missing) is read across the other author's numbered posts between them
    text = ("Aigerim N. @aigerim_kz\nA new report is out today on the count at station 112.\n"
            "Reply  Retweet  Like\n"
            "Daniyar T. @daniyar_t\n2\nObservers were asked to leave the room before the count.\n"
            "Reply  Retweet  Like\n"
            "Aigerim N. @aigerim_kz\n3\nThe chair said the room was too small for everyone.\n"
            "Reply  Retweet  Like\n"
            "Daniyar T. @daniyar_t\n3\nWe filed a complaint with the commission.\n"
            "Reply  Retweet  Like\n"
            "Aigerim N. @aigerim_kz\n4\nThe bureau will appeal the ruling within the week.\n"
            "Reply  Retweet  Like\n")
    threads = parse_text(text).threads
    assert [(t.author, t.missing, [(p.n, p.line_start) for p in t.parts]) for t in threads] == [
        ("@aigerim_kz", [2], [(1, 2), (3, 9), (4, 17)]), ("@daniyar_t", [1], [(2, 5), (3, 13)])]


def _timeline_post(name: str, handle: str, body: str) -> str:
    """One post of a timeline copy: name, handle, text, date and counts."""
    return f"{name}\n@{handle}\n{body}\n3:17 AM · Dec 7, 2021\n·Twitter for iPhone\n12 Retweets\n40 Likes\n"


def test_a_timeline_post_pasted_again_is_no_next_part_of_its_authors_thread():
    # Daniyar's unmarked post 3 is pasted twice; his `4/4` after it is still part 4, the copy an `also`
    aigerim = [_timeline_post("Aigerim N.", "aigerim_kz", "A new report is out today on the count at station 112. (1/)"),
               _timeline_post("Aigerim N.", "aigerim_kz", "Observers were asked to leave before the count. (2/)")]
    daniyar = [_timeline_post("Daniyar T.", "daniyar_t", "We were at station 112 in Almaty all day."),
               _timeline_post("Daniyar T.", "daniyar_t", "Part 2/4: The chair said the room was too small."),
               *[_timeline_post("Daniyar T.", "daniyar_t", "We filed a complaint with the commission at noon, and its"
                                " chair said that it would be read by Friday.")] * 2,
               _timeline_post("Daniyar T.", "daniyar_t", "Part 4/4: The bureau will appeal the ruling.")]
    text = aigerim[0] + daniyar[0] + aigerim[1] + "".join(daniyar[1:])
    threads = parse_text(text).threads
    assert [(t.author, t.total, t.missing, [(p.n, p.line_start, p.also) for p in t.parts]) for t in threads] == [
        ("@aigerim_kz", None, [], [(1, 3, []), (2, 17, [])]),
        ("@daniyar_t", 4, [], [(1, 10, []), (2, 24, []), (3, 31, [(38, 38)]), (4, 45, [])]),
    ]


def test_a_post_of_several_lines_pasted_again_folds_whole():
    # Aigerim's opening post (two lines) pasted again under its header, in a timeline with Daniyar's
    # thread: one copy, and her `Part 2/2` goes on her thread
    opening = "To squeeze or not to squeeze, that is what the court asked.\nRead the ruling here: <LINK>"
    text = (_timeline_post("Daniyar T.", "daniyar_t", "We were at station 112 in Almaty all day. (1/)")
            + _timeline_post("Aigerim N.", "aigerim_kz", opening) + _timeline_post("Aigerim N.", "aigerim_kz", opening)
            + _timeline_post("Aigerim N.", "aigerim_kz", "Part 2/2: The bureau will appeal the ruling.")
            + _timeline_post("Daniyar T.", "daniyar_t", "The chair said the room was too small. (2/)"))
    assert structure(text) == [("thread", None, [], [(1, 3, 3, []), (2, 33, 33, [])]),
                               ("thread", 2, [], [(1, 10, 11, [(18, 19)]), (2, 26, 26, [])])]


def test_a_bare_number_said_again_with_its_post_pasted_again_goes_on_numbering():
    text = ("The court fined the bureau today.\n---\n2\nIts work is suspended for three months.\n---\n"
            "2\nIts work is suspended for three months.\n---\n3\nThe bureau will appeal the decision.\n")
    assert structure(text) == [("thread", None, [], [(1, 1, 1, []), (2, 3, 4, [(6, 7)]), (3, 9, 10, [])])]


def test_a_closing_marker_under_its_header_picks_up_the_authors_thread_across_others():
    # Daniyar's `(3/)` closes a post of several lines, under his header, after Aigerim's posts
    text = ("Daniyar T. @daniyar_t · 30m\nWe were at station 112 all day.\n\nReport: <LINK>\n(1/)\n"
            "Daniyar T. @daniyar_t · 29m\nThe chair said the room was too small.\n(2/)\n"
            "Aigerim N. @aigerim_kz · 42m\nThe bureau will appeal the ruling.\n"
            "Daniyar T. @daniyar_t · 24m\nWe filed a complaint with the commission.\n\nIts answer: <LINK>\n(3/)\n"
            "Aigerim N. @aigerim_kz · 40m\nThe hearing is set for Monday.\n")
    threads = parse_text(text).threads
    assert [(t.author, [(p.n, p.line_start) for p in t.parts]) for t in threads] == [
        ("@daniyar_t", [(1, 2), (2, 7), (3, 12)]), ("@aigerim_kz", [(1, 10), (2, 17)])]


def test_bare_numbers_under_action_bars_number_the_posts_after_them():
    # each number stands between the action bar that closes a post and the next post's text: a
    # count never rises 1, 2, 4, 5 under bar after bar (part 3 is missing from the copy)
    text = ("1\nThe court fined the bureau today.\nReply  Retweet  Like\n"
            "2\nIts work is suspended for three months.\nReply  Retweet  Like\n"
            "4\nThe bureau will appeal the decision.\nReply  Retweet  Like\n"
            "5\nThe hearing is set for Monday.\nReply  Retweet  Like\n")
    assert structure(text) == [("thread", None, [3], [(1, 1, 2, []), (2, 4, 5, []), (4, 7, 8, []), (5, 10, 11, [])])]


def test_a_bare_number_under_a_replying_to_line_numbers_the_post():
    header = "Aigerim N. @aigerim_kz · Dec 14\n"
    text = (header + "1\nThe court fined the bureau today.\n12\n40\n7\n"
            + header + "Replying to @aigerim_kz\n2\nIts work is suspended for three months.\n3\n15\n9\n"
            + header + "Replying to @aigerim_kz\n3\nThe bureau will appeal the decision.\n5\n8\n2\n")
    assert structure(text) == [("thread", None, [], [(1, 2, 3, []), (2, 9, 10, []), (3, 16, 17, [])])]


def test_an_unnumbered_thread_goes_on_after_a_post_pasted_again_under_its_header():
    header = "Aigerim N. @aigerim_kz · 23m\n"
    text = (header + "We were at station 112 in Almaty all day, and the count began late in the evening.\n"
            + header + "Observers were asked to leave the room before the count began, all of them.\n"
            + header + "Observers were asked to leave the room before the count began, all of them.\n"
            + header + "Replying to @aigerim_kz\nThe chair said the room was too small for everyone to stay.\n"
            + header + "Replying to @aigerim_kz\nWe filed a complaint with the commission this morning.\n")
    assert structure(text) == [("thread", None, [], [(1, 2, 2, []), (2, 4, 4, [(6, 6)]), (3, 9, 9, []),
                                                     (4, 12, 12, [])])]


def test_a_post_under_a_header_after_a_thread_that_showed_none_is_no_part_of_it():
    text = ("1\nThe court fined the bureau today.\n\n2\nIts work is suspended for three months.\n\n"
            "3\nThe bureau will appeal the decision.\n\n"
            "Daniyar T. @daniyar_t · 23m\nWe were at station 112 in Almaty all day, and the count began late.\n"
            "Daniyar T. @daniyar_t · 23m\nWe were at station 112 in Almaty all day, and the count began late.\n"
            "Daniyar T. @daniyar_t · 21m\n2 of 2 The chair said the room was too small for everyone to stay.\n")
    threads = parse_text(text).threads
    assert [(t.author, [(p.n, p.line_start, p.also) for p in t.parts]) for t in threads] == [
        (None, [(1, 1, []), (2, 4, []), (3, 7, [])]), ("@daniyar_t", [(1, 11, [(13, 13)]), (2, 15, [])])]


def test_a_thread_with_spacers_between_posts_keeps_blank_lines_inside_them():
    # its markers show spacer lines (U+2800) between posts and blank lines inside them: the opening's
    # three paragraphs are one post, part 1
    text = ("We have a new report on the count at station 112.\n\nIt was written by four observers.\n\n"
            "More below!\n\u2800\nThe court fined the bureau today.\n(2/4)\n\u2800\n"
            "Its work is suspended for three months.\n\nThe ruling: <LINK>\n(3/4)\n\u2800\n"
            "The bureau will appeal the decision.\n\nThe appeal: <LINK>\n(4/4)\n")
    assert structure(text) == [("thread", 4, [], [(1, 1, 5, []), (2, 7, 8, []), (3, 10, 13, []), (4, 15, 18, [])])]


def test_a_line_with_a_hashtag_over_a_handle_is_text_not_a_display_name():
    text = ("1/2 The court fined the bureau today, and its work is suspended for three months.\n@lab_kz\n---\n"
            "2/2\nP.S. #firstpaperjitters\n@lab_kz\nA new report is out today on the count at station 112.\n"
            "2/2 Observers were asked to leave the room.\n")
    assert structure(text) == [("thread", 2, [], [(1, 1, 2, []), (2, 4, 6, [])]),
                               ("thread", 2, [], [(1, 7, 7, []), (2, 8, 8, [])])]


def test_a_line_of_mentions_ends_the_text_above_like_a_full_stop():
    text = ("1/2 The court fined the bureau today.\n\n2/2 Its work is suspended for three months\n@aigerim_kz\n"
            "A new report is out today on the count at station 112.\n2/2 Observers were asked to leave the room.\n")
    assert structure(text) == [("thread", 2, [], [(1, 1, 1, []), (2, 3, 4, [])]),
                               ("thread", 2, [], [(1, 5, 5, []), (2, 6, 6, [])])]


def test_two_bare_numbers_in_a_row_from_3_number_the_posts_after_an_unnumbered_opening():
    text = ("The court fined the bureau today for its report on the count at station 112.\n\n"
            "Its work is suspended for three months, and its office in Almaty is sealed.\n"
            "3\nThe bureau will appeal the decision, its director said on the steps of the court.\n"
            "4\nThe hearing is set for Monday, and observers from three embassies will attend.\n")
    # (how the opening's two paragraphs divide is another question: parts 3 and 4 are the point)
    ((_, _, _, parts),) = structure(text)
    assert parts[-2:] == [(3, 4, 5, []), (4, 6, 7, [])]


def test_a_handle_under_a_post_over_bare_counts_signs_it():
    # the timeline's counts are bare numbers in a row: they close the post above, so the handle over
    # them heads nothing, even with text further down
    text = ("Aigerim N. @aigerim_kz · Mar 4\n1/2 The court fined the bureau today.\n12\n40\n7\n"
            "Aigerim N. @aigerim_kz · Mar 4\n2/2 Its work is suspended for three months.\n@ewatch_kz\n12\n40\n7\n\n"
            "A report on the count at station 112 came out today, and it is long.\n")
    assert structure(text)[0] == ("thread", 2, [], [(1, 2, 2, []), (2, 7, 8, [])])


def test_one_bare_number_between_a_header_and_its_text_numbers_the_post():
    post = "Aigerim N.\n@aigerim_kz\n{}\n7:21 PM · Sep 24, 2019\n·Twitter for iPhone\n12 Retweets\n40 Likes\n"
    text = (post.format("The court fined the bureau today for its report on the count.")
            + post.format("3\nThe bureau will appeal the decision, its director said."))
    assert structure(text) == [("thread", None, [2], [(1, 3, 3, []), (3, 10, 11, [])])]


def test_an_interleaved_timeline_may_hold_another_accounts_single_post():
    # Aigerim's unnumbered thread runs across Daniyar's numbered one; Erlan's one post among them
    # (a retweet) does not make the copy a reply page
    text = (_timeline_post("Erlan S.", "erlan_s", "A single post about the weather in Astana today, and nothing more.")
            + _timeline_post("Aigerim N.", "aigerim_kz", "We were at station 112 in Almaty all day, and the count began late.")
            + _timeline_post("Daniyar T.", "daniyar_t", "1/2 The court fined the bureau today for its report.")
            + _timeline_post("Aigerim N.", "aigerim_kz", "Observers were asked to leave the room before the count.")
            + _timeline_post("Daniyar T.", "daniyar_t", "2/2 Its work is suspended for three months."))
    threads = parse_text(text).threads
    assert [(t.author, [(p.n, p.line_start) for p in t.parts]) for t in threads] == [
        ("@erlan_s", [(1, 3)]), ("@aigerim_kz", [(1, 10), (2, 24)]), ("@daniyar_t", [(1, 17), (2, 31)])]


def test_a_header_whose_display_name_carries_a_hashtag_is_chrome():
    text = ("Aigerim N. #peace @aigerim_kz\n1/2 The court fined the bureau today.\nReply  Retweet  Like\n"
            "Aigerim N. #peace @aigerim_kz\n2/2 Its work is suspended for three months.\nReply  Retweet  Like\n")
    result = parse_text(text)
    (thread,) = result.threads
    assert [(p.n, p.line_start, p.line_end) for p in thread.parts] == [(1, 2, 2), (2, 5, 5)]
    assert thread.author == "@aigerim_kz"


def test_the_authors_next_post_under_their_own_header_goes_on_their_thread_after_its_last_marker():
    # a thread page in the web UI: Aigerim's post after her `(2/)` is her thread's part 3, though no
    # marker numbers it; the next text, under no header, is another thread
    post = "Aigerim N. @aigerim_kz\n{}\nReply  Retweet  Like\n"
    text = (post.format("The court fined the bureau today for its report on the count. (1/)")
            + post.format("Its work is suspended for three months, the judge said. (2/)")
            + post.format("So it goes. The bureau will appeal the decision, and we will follow the case.")
            + "Observers were asked to leave the room before the count began at station 112.\n\n"
              "The chair said the room was too small for everyone to stay and watch. (2/3)\n")
    threads = parse_text(text).threads
    assert [(p.n, p.line_start) for p in threads[0].parts] == [(1, 2), (2, 5), (3, 8)]
    assert [p.line_start for t in threads[1:] for p in t.parts] == [10]


def test_a_post_pasted_again_under_its_header_is_no_next_post_of_the_self_thread():
    # the copy's short first paragraph (`TL;DR`) is the start of part 2, not a part 3
    post = "Aigerim N. @aigerim_kz\n{}\nReply  Retweet  Like\n"
    two = "TL;DR\n\nIts work is suspended for three months, the judge said. (2/)"
    text = post.format("The court fined the bureau today for its report on the count. (1/)") + post.format(two) * 2
    assert structure(text) == [("thread", None, [], [(1, 2, 2, []), (2, 5, 7, [(10, 12)])])]


def test_a_name_and_handle_line_that_comes_back_over_each_post_is_its_header():
    # a particle in lower case (`von`) and a handle cut short: no display name on its own, but the
    # line comes back over every post
    text = "".join(f"Julius von Kügelgen @Julius_von_Kuge\n{body}\n\n" for body in (
        "Excited to share our new paper on algorithmic recourse under imperfect causal knowledge.",
        "We tackle the task of providing individuals with recommendations they can act on."))
    threads = parse_text(text).threads
    assert [(t.author, [(p.line_start, p.line_end) for p in t.parts]) for t in threads] == [
        ("@Julius_von_Kuge", [(2, 2), (5, 5)])]


def test_an_authors_unnumbered_post_before_their_3_of_n_across_another_author_opens_it():
    # Aigerim's opening, Daniyar's post, then her `3/4`: her thread's part 1, part 2 missing
    text = (_timeline_post("Aigerim N.", "aigerim_kz", "We were at station 112 in Almaty all day, and the count began late.")
            + _timeline_post("Daniyar T.", "daniyar_t", "A post about the weather in Astana today, and nothing more.")
            + _timeline_post("Aigerim N.", "aigerim_kz", "3/4 The chair said the room was too small for everyone.")
            + _timeline_post("Daniyar T.", "daniyar_t", "Another post about the weather, with snow this time.")
            + _timeline_post("Aigerim N.", "aigerim_kz", "4/4 We filed a complaint with the commission."))
    threads = parse_text(text).threads
    aigerim = next(t for t in threads if t.author == "@aigerim_kz")
    assert (aigerim.total, aigerim.missing, [(p.n, p.line_start) for p in aigerim.parts]) == (
        4, [2], [(1, 3), (3, 17), (4, 31)])


def test_a_handle_signing_each_text_on_a_line_of_its_own_does_not_count_towards_the_posts_length():
    # part 1 is 303 characters without its signature `@lab_kz`: with it, it would run over the
    # post's limit, and its second paragraph would be cut away as a post of its own
    one = ("1/3 " + "The court fined the bureau today for its report on the count at station 112, " * 2
           + "and it is a shame, and it is a shame, they say here in town.")
    two = "Its work is suspended for three months, the judge said, and its office in Almaty is sealed. " * 3
    text = (f"{one}\n\nJoint work with the observers of the bureau in Almaty and Astana, all of them, and more.\n"
            f"@lab_kz\n{two.strip()}\n@lab_kz\n3/3 The bureau will appeal the decision.\n@lab_kz\n")
    assert structure(text) == [("thread", 3, [], [(1, 1, 4, []), (2, 5, 6, []), (3, 7, 8, [])])]


def test_a_repeated_header_whose_name_runs_to_six_words_and_a_bracket_is_chrome():
    text = "".join(f"Aigerim Nurpeisova at the Almaty Forum (KZ) @aigerim_kz\n{body}\n\n" for body in (
        "1/2 Excited to share our new report on the count at station 112 in Almaty.",
        "2/2 We tackle the task of counting the votes that observers could not see."))
    (thread,) = parse_text(text).threads
    assert (thread.author, [(p.n, p.line_start, p.line_end) for p in thread.parts]) == (
        "@aigerim_kz", [(1, 2, 2), (2, 5, 5)])


def test_a_line_break_after_a_link_is_weaker_evidence_of_more_text_than_one_after_a_sentence():
    # a post's links come at its end: the next post's text often starts on the line under them
    after_link, after_sentence = (
        segment_lines(split_lines(f"Read the ruling of the court here: {end}\n"
                                  "The bureau will appeal the decision, its director said on the steps.\n")).units
        for end in ("<LINK>", "today."))
    settings = Settings()
    with using(settings):
        assert after_link[1].gap == after_sentence[1].gap == "line"
        assert _gap_score(after_link, 1) == settings.gap_after_link > _gap_score(after_sentence, 1) == settings.gap_line


def test_a_marker_under_an_authors_header_does_not_go_on_a_thread_that_showed_none():
    # `(2/)` under Daniyar's header is his part 2, not the `1/2` thread's part 2 (which showed no header)
    text = ("1/2 The court fined the bureau today for its report on the count at station 112.\n---\n"
            "You can read more on our website: https://t.co/W7H4yFWoDI\n\n"
            "Daniyar T. @daniyar_t\nWe were at station 112 in Almaty all day, and the count began late.\n"
            "Reply  Retweet  Like\n"
            "Daniyar T. @daniyar_t\nThe chair said the room was too small for everyone to stay.\n(2/)\n"
            "Reply  Retweet  Like\n")
    threads = parse_text(text).threads
    assert [(t.author, [(p.n, p.line_start) for p in t.parts]) for t in threads] == [
        (None, [(1, 1), (2, 3)]), ("@daniyar_t", [(1, 6), (2, 9)])]


def test_a_part_of_several_lines_pasted_again_over_its_closing_marker_folds_into_the_first_copy():
    part = "The court fined the bureau today, for its report.\n\nIts work is suspended for three months.\n(1/2)\n"
    text = part + "\n" + part + "\nThe bureau will appeal the decision within the week.\n(2/2)\n"
    assert structure(text) == [("thread", 2, [], [(1, 1, 4, [(6, 9)]), (2, 11, 12, [])])]


def test_a_line_opening_with_an_emoji_after_a_sentence_can_open_the_next_text():
    # no blank line between two unnumbered threads: `🚨New report🚨` starts the second, like a capital would
    text = ("We were at station 112 in Almaty all day, and the count began late in the evening, after the "
            "chair had counted the ballots twice and sent the observers out of the room for an hour.\n\n"
            "Observers were asked to leave the room before the count began, all of them, by the chair, who "
            "said the room was too small for everyone, though it held forty people, and their chairs, at "
            "the morning vote.\n"
            "🚨New report alert🚨\n"
            "Having trouble keeping your observers in the room? Same here. So we wrote a guide for them. (1/)\n\n"
            "It is out today, in Kazakh and Russian, with a checklist for the count: <LINK> (2/)\n")
    threads = parse_text(text).threads
    assert [[(p.line_start, p.line_end) for p in t.parts] for t in threads] == [[(1, 1), (3, 3)], [(4, 5), (7, 7)]]


def test_a_handle_with_no_name_over_a_bare_number_signs_the_text_above():
    # `@lab_kz` under part 3's text is its signature; the `4` under it is part 4's marker, no time
    text = ("The court fined the bureau today for its report on the count at station 112.\n"
            "3\nIts work is suspended for three months, the judge said on the steps of the court.\n@lab_kz\n"
            "4\nThe bureau will appeal the decision within the week, its director said.\n"
            "5\nThe hearing is set for Monday, and observers from three embassies will attend.\n")
    threads = parse_text(text).threads
    assert [(t.author, [(p.n, p.line_start, p.line_end) for p in t.parts]) for t in threads] == [
        (None, [(1, 1, 1), (3, 2, 4), (4, 5, 6), (5, 7, 8)])]


def test_a_marker_line_that_touches_its_text_and_has_a_blank_line_below_shows_the_threads_side():
    # `3/5` right under its text with a blank line after it closes that text, so the thread's other
    # marker lines, text on both sides, close theirs too
    text = ("The court fined the bureau today for its report on the count at station 112.\n"
            "Its work is suspended for three months, the judge said on the steps of the court.\n2/5\n"
            "The bureau will appeal the decision within the week, its director said.\n3/5\n\n"
            "A report on the count came out today, and it is long.\n")
    threads = parse_text(text).threads
    assert [(p.n, p.line_start, p.line_end) for p in threads[0].parts][:3] == [(1, 1, 1), (2, 2, 3), (3, 4, 5)]


def test_posts_under_an_authors_header_are_not_the_opening_of_a_headless_marker_below():
    # a web-UI copy of one author's unnumbered self-thread, then a pasted thread with no header at
    # all whose markers close their texts: its `2/n` does not take the header's last post as part 1
    header = "Aigerim N.\n@aigerim_monitor\n"
    bar = "21:24 · 3 oct. 2021\n110 Retweets\n551 J’aime\n"
    text = (header + "The court fined the bureau today for its report on the count.\n" + bar
            + header + "Its work is suspended for three months, the judge said.\n" + bar
            + header + "One more post: the bureau will appeal the decision within the week.\n" + bar + "\n"
            + "A new report on the count at station 112 came out today, in Kazakh and Russian. <LINK>\n\n"
            + "2/n https://t.co/iMps43gjdj\n\n"
            + "It has a checklist for observers, and a page on how the count goes.3/n https://t.co/N6RamsSE2a\n")
    threads = parse_text(text).threads
    assert [[(p.line_start, p.line_end) for p in t.parts] for t in threads] == [
        [(3, 3), (9, 9), (15, 15)], [(20, 22), (24, 24)]]


def test_an_account_alone_under_a_parts_text_ends_the_part():
    # `@lab_kz` signs part 3; the unmarked text after the blank line is part 4, which the
    # arithmetic of 3/5 and 5/5 says exists, not more of part 3
    text = ("1/5 The court fined the bureau today for its report on the count at station 112.\n\n"
            "2/5 Its work is suspended for three months, the judge said on the steps of the court.\n\n"
            "3/5 The bureau will appeal the decision within the week, its director said.\n@lab_kz\n\n"
            "The hearing is set for Monday, and observers from three embassies will attend it.\n\n"
            "5/5 We will report from the court on Monday.\n")
    assert [(p.n, p.line_start, p.line_end) for p in parse_text(text).threads[0].parts] == [
        (1, 1, 1), (2, 3, 3), (3, 5, 6), (4, 8, 8), (5, 10, 10)]


def test_blank_lines_between_two_headers_are_evidence_when_the_text_there_holds_several_markers():
    # in a web-UI copy the lines between two headers are one post, and blank lines there part its
    # paragraphs; but a stretch with two markers of its own (a headless thread pasted after the
    # timeline) holds several posts, and its blank lines part them
    h = "Aigerim N. @aigerim_monitor\n"
    text = (h + "The court fined the bureau today for its report on the count. (1/)\n\n"
            + h + "Its work is suspended for three months, the judge said. (2/)\n\n"
            + "A new report on the count at station 112 came out today, in Kazakh and Russian.\n\n"
            + "It has a checklist for observers, and a page on how the count goes. 2/3\n\n"
            + "Read it before the next vote, and share it with your station. 3/3\n\n"
            + "Dana K. @dana_k\nObservers were asked to leave the room before the count began.\n")
    threads = parse_text(text).threads
    assert [[(p.n, p.line_start, p.line_end) for p in t.parts] for t in threads] == [
        [(1, 2, 2), (2, 5, 5)], [(1, 7, 7), (2, 9, 9), (3, 11, 11)], [(1, 14, 14)]]


def test_a_display_name_that_carries_another_account_in_brackets_heads_its_post():
    # `Name (@user@instance) @handle · 37m`: a Mastodon address in an X display name
    h = "Aigerim N. (@aigerim@mastodon.social) @aigerim_monitor · {}m\n"
    text = (h.format(37) + "1/3 The court fined the bureau today for its report on the count.\n"
            + "Dana K. @dana_k · 36m\nObservers were asked to leave the room before the count began.\n"
            + h.format(25) + "2/3 Its work is suspended for three months, the judge said.\n"
            + h.format(3) + "3/3 The bureau will appeal the decision within the week.\n")
    result = parse_text(text)
    assert [(t.author, [(p.n, p.line_start) for p in t.parts]) for t in result.threads] == [
        ("@aigerim_monitor", [(1, 2), (2, 6), (3, 8)]), ("@dana_k", [(1, 4)])]
    assert {d.line_start for d in result.dropped} == {1, 3, 5, 7}


def test_a_later_marker_with_no_total_confirms_the_numbers_below_it_for_a_post_picked_up_again():
    # the author's unmarked post after another account's posts, before their `5/n`: part 3 of the
    # thread (`5/n` says 3 and 4 exist; one is missing), not a post of its own
    a, d = "Aigerim N. @aigerim_monitor\n", "Dana K. @dana_k\n"
    text = (a + "The court fined the bureau today for its report on the count. 1/n\n\n"
            + a + "Its work is suspended for three months, the judge said. 2/n\n\n"
            + d + "Observers were asked to leave the room before the count began. 1/2\n\n"
            + d + "They were let back in an hour later, when the count was over. 2/2\n\n"
            + a + "The bureau will appeal the decision within the week, its director said.\n\n"
            + a + "The hearing is set for Monday, and observers will attend. 5/n\n")
    assert [(t.author, t.missing, [(p.n, p.line_start) for p in t.parts]) for t in parse_text(text).threads] == [
        ("@aigerim_monitor", [4], [(1, 2), (2, 5), (3, 14), (5, 17)]), ("@dana_k", [], [(1, 8), (2, 11)])]


def test_a_text_pasted_again_after_a_hard_gap_was_a_whole_post():
    # people paste a post again, not a paragraph of one: the link line pasted again below is the
    # thread's second post (its copy an `also` span), not the end of the first
    text = ("The court fined the bureau today for its report on the count at station 112.\n"
            "Its work is suspended for three months.\n\n"
            "The judge's ruling, in full, is here: https://t.co/ajiYnsCyjY\n\n\n"
            "The judge's ruling, in full, is here: https://t.co/ajiYnsCyjY\n")
    assert structure(text) == [("thread", None, [], [(1, 1, 2, []), (2, 4, 4, [(7, 7)])])]


def test_text_left_out_of_a_threads_opening_costs_as_another_threads_start_not_per_line():
    # an unnumbered thread runs straight into one whose markers close their texts (`(1/)` under
    # its first text): its last line, `We would be glad ...`, is its own, not the next one's part 1
    text = ("New report out on the count at station 112, about how the tally was kept in the room: <LINK>\n"
            "This can be read as a first look at how the count went across the whole of the city.\n"
            "#Elections #Almaty\n\n"
            "By counting twice, the commission fixed most of the errors in the first tally, which put many "
            "ballots in the wrong pile.\n"
            "In fact, the second count matched the observers' own figures everywhere.\n\n"
            "We would be glad to read your comments!\n"
            "The court fined the bureau today for its report on the count at station 112, and the judge read the "
            "ruling aloud to a room full of observers, journalists and two diplomats from the embassies (1/x)\n(1/)\n"
            "its work is suspended for three months, the judge said on the steps of the court, and the bureau's "
            "staff of eleven will not be paid for the whole of that time, whatever the appeal court says (2/x)\n(2/)\n"
            "The bureau will appeal the decision within the week, its director said to the journalists outside "
            "the court after the hearing, and it will ask the appeal court to suspend the ruling until then (3/x)\n(3/)\n")
    assert [[(p.n, p.line_start, p.line_end) for p in t.parts] for t in parse_text(text).threads] == [
        [(1, 1, 3), (2, 5, 8)], [(1, 9, 10), (2, 11, 12), (3, 13, 14)]]


def test_a_marker_without_its_total_goes_on_a_thread_only_in_the_same_brackets():
    # `(2/)` right after `[1/2]` is the next thread's part 2, not the end of the first one
    text = ("[1/2] The court fined the bureau today for its report on the count at station 112.\n\n"
            "A new report on the count came out today, in Kazakh and Russian. <LINK>\n⠀\n"
            "It has a checklist for observers, and a page on how the count goes.\n(2/)\n⠀\n"
            "Share it with your station before the next vote.\n(3/)\n")
    assert structure(text) == [("thread", 2, [2], [(1, 1, 1, [])]),
                               ("thread", None, [], [(1, 3, 3, []), (2, 5, 6, []), (3, 8, 9, [])])]


def test_a_marker_glued_to_the_end_punctuation_of_any_text_is_read():
    # after a bracket, an ellipsis, an emoji or a run of `!!`, as after a letter; not a score
    for line, marker in [("as Fraser showed (Fraser 2007).2/n", "2/n"), ("used to do this (PCA, tSNE …).2/n", "2/n"),
                         ("A thread: 🔽..1/n", "1/n"), ("searches with @NASAHubble !!4/n", "4/n"),
                         ("here is the tool :).5/n", "5/n"), ("the paper!..5/n", "5/n")]:
        found = find_marker(line)
        assert found is not None and found.text == marker and found.position == "end", line
    for line in ("we rated it 4.5/5", "the odds were 3:1/2", "release v2.1/3"):
        assert find_marker(line) is None, line


def test_one_bare_number_from_2_or_3_right_between_two_lines_of_text_is_a_marker():
    # `2` alone, text right above and right below, no web-UI chrome about: the second part's marker
    text = ("The court fined the bureau today for its report on the count at station 112.\n"
            "Colleagues from three embassies were in the room.\n2\n"
            "Its work is suspended for three months, the judge said on the steps of the court.\n\n"
            "Observers were asked to leave the room before the count began at station 9.\n")
    threads = parse_text(text).threads
    assert [(p.n, p.line_start, p.marker) for p in threads[0].parts] == [(1, 1, None), (2, 3, "2")]


def test_the_media_link_under_a_final_part_whose_marker_is_glued_to_its_text_is_the_parts():
    # `...the ruling.2/2` ends its text, not its post: the link after the blank line is its media;
    # a final `(2/2)` on a line of its own ends the post, and the link after it is the next text's
    text = ("The court fined the bureau today for its report on the count at station 112. 1/2\n\n"
            "Its work is suspended for three months, the judge said in the ruling.2/2\n\n"
            "https://t.co/froDW042Pi\n")
    assert [(p.n, p.line_start, p.line_end) for p in parse_text(text).threads[0].parts] == [(1, 1, 1), (2, 3, 5)]
    own_line = ("The court fined the bureau today for its report on the count at station 112.\n(1/2)\n\n"
                "Its work is suspended for three months, the judge said in the ruling.\n(2/2)\n\n"
                "https://t.co/froDW042Pi\n")
    assert [(p.n, p.line_start, p.line_end) for p in parse_text(own_line).threads[0].parts] == [(1, 1, 2), (2, 4, 5)]


def test_a_handle_alone_under_text_signs_it_where_the_page_writes_its_headers_on_one_line():
    # headers here are `Name @handle · 8m` lines: `@dana_k` alone under part 3 is its signature, not
    # the header of what follows a date below it
    h = "Aigerim N. @aigerim_monitor · {}m\n"
    text = (h.format(43) + "1/3 The court fined the bureau today for its report on the count, with @dana_k.\n"
            + h.format(39) + "2/3 Its work is suspended for three months, the judge said.\n"
            + h.format(8) + "3/3 The bureau will appeal the decision within the week.\n@dana_k\n\n"
            + "08/04/2021\nA report on the count at station 112\n"
            + "Observers were asked to leave the room before the count began.\n")
    result = parse_text(text)
    assert [(p.n, p.line_start, p.line_end) for p in result.threads[0].parts] == [(1, 2, 2), (2, 4, 4), (3, 6, 7)]
    assert 7 not in {d.line_start for d in result.dropped}


def test_a_marker_before_a_sentence_that_opens_with_of_is_read():
    # `10/10 Of late, ...` starts a sentence after its marker; `3/4 of the votes` and a headline's
    # `3/4 Of Voters Say Yes` are fractions
    assert find_marker("10/10 Of late, my work has been following a pattern.").text == "10/10"
    assert find_marker("5/8 Of course, this still rests on strong assumptions.").text == "5/8"
    assert find_marker("3/4 of the votes were counted twice.") is None
    assert find_marker("3/4 Of Voters Say Yes") is None


def test_two_bare_numbers_between_texts_that_skip_one_are_markers():
    # `2` and `4` alone between lines of text: parts 2 and 4, part 3 missing from the copy
    text = ("The court fined the bureau today for its report on the count at station 112.\n2\n"
            "Its work is suspended for three months, the judge said on the steps of the court.\n4\n"
            "We will report from the hearing on Monday, with the observers from three embassies.\n")
    (thread,) = parse_text(text).threads
    assert ([(p.n, p.line_start) for p in thread.parts], thread.missing) == ([(1, 1), (2, 2), (4, 4)], [3])


def test_text_between_two_consecutive_numbers_belongs_to_the_first_however_long():
    # part 2 runs past a post's length (commands, then two lines under them): the lines under the cut
    # that length makes are part 2's, not posts of their own between parts 2 and 3
    text = ("1/ How we checked the protocols of every station in the city.\n\n"
            "2/ Step one, fetch them all:\n"
            "python3 fetch.py --region almaty --from 2021-01-10 --to 2021-01-11 --format json --out protocols\n"
            "python3 check.py --input protocols --against observers.csv --report report.html --verbose\n"
            "python3 check.py --input protocols --against commission.csv --report report2.html --verbose\n"
            "python3 merge.py report.html report2.html --out all.html --title 'Protocols of the city'\n"
            "Then open all.html in a browser and sort by station.\n\n"
            "The stations where the totals differ come first.\n\n"
            "3/ Step two, read the stations where the totals differ.\n")
    assert [(k, [(n, a, b) for n, a, b, _ in parts]) for k, _, _, parts in structure(text)] == [
        ("thread", [(1, 1, 1), (2, 3, 10), (3, 12, 12)])]


def test_a_bare_one_under_counts_opens_the_run_of_bare_numbers_below_it():
    # `1` right under the counts of the post above looks like one more count; the `2`, `3` that follow
    # it between lines of text say it is the thread's first marker
    text = ("The count at station 112 is published.\n27 Retweets\n227 Likes\n1\n"
            "Observers were asked to leave station 112 before the count began.\n2\n"
            "The chair said the room was too small for everyone.\n3\nThe bureau will appeal the ruling.\n")
    threads = [t for t in structure(text) if t[0] == "thread"]
    assert [(n, a, b) for n, a, b, _ in threads[-1][3]] == [(1, 4, 5), (2, 6, 7), (3, 8, 9)]


def test_a_numbered_opening_pasted_twice_in_a_row_is_the_threads_first_part():
    # `(1/3)` under its text, then the same text and marker again: the copy read as a new thread's
    # opening left the first copy a thread of one part; it is one part, seen twice
    opening = "New paper on the count at station 112.\nWith the observers of three groups.\n(1/3)\n"
    text = (opening + opening + "The chair said the room was too small.\n(2/3)\n"
            "The bureau will appeal the ruling.\n(3/3)\n")
    assert [(k, total, [(n, a, b, also) for n, a, b, also in parts]) for k, total, _, parts in structure(text)] == [
        ("thread", 3, [(1, 1, 3, [(4, 6)]), (2, 7, 8, []), (3, 9, 10, [])])]


def test_text_above_a_thread_that_opens_at_two_is_its_first_part_though_part_two_is_short():
    # `(2/)` closes a short second post under a spacer line: the text above it is part 1, not the
    # start of part 2
    text = ("Observers from three groups watched the count at station 112 in Almaty, and the chair asked\n"
            "them to leave before the ballots were counted; we looked at the protocols of all the stations.\n"
            "\u2800\nThe protocols: https://example.org/protocols (2/)\n")
    assert [(k, [(n, a, b) for n, a, b, _ in parts]) for k, _, _, parts in structure(text)] == [
        ("thread", [(1, 1, 2), (2, 4, 4)])]


def test_a_thread_opening_in_lower_case_after_a_blank_line_is_no_part_of_the_thread_above():
    # a tweet may start in lower case (`happy to announce ...`): after a blank line and a thread
    # that ended without a total, it opens the next thread, whose `1/3` closes it
    text = ("1/ We observed the vote count at station 112 in Almaty on Sunday.\n"
            "2/ However, the chair asked every observer to leave before the count began.\n"
            "3/ The bureau has filed a complaint with the district commission.\n\n"
            "happy to announce our new report, on whether the protocols match the observers' copies, for all stations!\n"
            "Work by the monitors of three groups.\n"
            "After many checks, we find that they mostly do, but not everywhere 1/3\n\n"
            "2/3\nthe stations that differ are all in two districts.\n\n"
            "3/3\nThe full report is online.\n")
    assert [[(n, a, b) for n, a, b, _ in parts] for _, _, _, parts in structure(text)] == [
        [(1, 1, 1), (2, 2, 2), (3, 3, 3)], [(1, 5, 7), (2, 9, 10), (3, 12, 13)]]


def test_a_text_pasted_again_further_on_opens_a_post_after_the_last_post_under_a_header():
    # the last post under its header, a blank line, then a text that is pasted again at the end: the
    # copy says it is a whole post, the next thread's opening, not more of the post above
    header = "Aigerim N. @aigerim_monitor · {}m\nReplying to @aigerim_monitor\n"
    opening = "Read the bureau's statement on the ruling! We look for what the court said about the observers.\n"
    text = ("https://twitter.com/aigerim_monitor/status/228481355364270761\n" + header.format(27)
            + "New report with the observers of three groups on the count at station 112, out today.\n<LINK>\n"
            "Aigerim N. @aigerim_monitor · 26m\n"
            "Our study is a quick check of the protocols against the copies the observers signed that night.\n"
            + header.format(7) + "We ask this of every station in the city, with the copies of all three groups.\n"
            + header.format(30) + "In particular, the totals differ at forty stations, most of them in two districts.\n\n"
            + opening + "２／２ Specifically, the court said the chair was right to ask them to leave.\n\n\n" + opening)
    assert [[(n, a, b, also) for n, a, b, also in parts] for _, _, _, parts in structure(text)] == [
        [(1, 4, 5, []), (2, 7, 7, []), (3, 10, 10, []), (4, 13, 13, [])], [(1, 15, 15, [(19, 19)]), (2, 16, 16, [])]]
