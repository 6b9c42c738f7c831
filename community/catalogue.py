"""Every preference and feature SelfCommunity's React UI reads at start (react-core
0.7.0-alpha.23's SCPreferences and @selfcommunity/types' SCFeatureName), with this server's
defaults, and the three menus the UI asks for by name. The data migration seeds them; after
every migrate (and every flush, which tests run) the missing ones are put back, so a key added
here reaches existing databases, and a value an operator changed is never overwritten."""

# (section, name, type, value): booleans and integers are text the API renders as JSON values.
PREFERENCES = (
    ('text', 'application_name', 'string', 'Duostatus'),
    ('text', 'application_slogan1', 'string', ''),
    ('text', 'application_slogan2', 'string', ''),
    ('text', 'application_copyright', 'string', '© $year Duostatus'),
    ('text', 'errorpages_title', 'string', ''),
    ('text', 'errorpages_subtitle', 'string', ''),
    ('style', 'font_family', 'string', 'Roboto, Helvetica, Arial, sans-serif'),
    ('logo', 'navbar_logo', 'url', '/static/community/logo.svg'),
    ('logo', 'navbar_logo_mobile', 'url', '/static/community/logo.svg'),
    ('colors', 'colorback', 'string', '#F5F6F8'),
    ('colors', 'colorprimary', 'string', '#1F6F8B'),
    ('colors', 'colorsecondary', 'string', '#4A5560'),
    ('colors', 'navbarback', 'string', '#FFFFFF'),
    ('colors', 'font_color', 'string', '#1C1F23'),
    ('colors', 'font_color_secondary', 'string', '#5F6B76'),
    ('covers', 'cover_1_hp_m1920', 'url', ''),
    ('covers', 'cover_2_hp_m1920', 'url', ''),
    ('covers', 'cover_3_hp_m1920', 'url', ''),
    ('covers', 'cover_4_hp_m1920', 'url', ''),
    ('covers', 'covers_visibility', 'integer', '0'),
    ('images', 'app_icon', 'url', '/static/community/logo.svg'),
    ('images', 'user_default_cover', 'url', ''),
    ('images', 'error_404', 'url', ''),
    ('images', 'error_503', 'url', ''),
    ('images', 'errorpages_image', 'url', ''),
    ('staff', 'staff_badge_icon', 'url', ''),
    ('staff', 'staff_badge_label', 'string', 'Staff'),
    ('loyalty', 'prize_a_image', 'url', ''),
    ('loyalty', 'prize_b_image', 'url', ''),
    ('loyalty', 'prize_c_image', 'url', ''),
    ('loyalty', 'points_make_discussion', 'integer', '0'),
    ('loyalty', 'points_make_post', 'integer', '0'),
    ('loyalty', 'points_make_comment', 'integer', '0'),
    ('loyalty', 'points_receive_vote', 'integer', '0'),
    ('loyalty', 'points_connection_or_follower', 'integer', '0'),
    ('loyalty', 'points_social_share', 'integer', '0'),
    ('loyalty', 'points_app_used', 'integer', '0'),
    ('loyalty', 'points_daily_visit', 'integer', '0'),
    ('addons', 'affinity_enabled', 'boolean', 'False'),
    ('addons', 'closed_community', 'boolean', 'False'),
    ('addons', 'incubator_enabled', 'boolean', 'False'),
    ('addons', 'incubator_subscribers', 'integer', '0'),
    ('addons', 'loyalty_points_collection', 'boolean', 'False'),
    # Polls and discussions are served (/api/v2/post/ with `poll`, /api/v2/discussion/):
    # react-ui's Composer offers its Poll and Discussion switches only when these are true.
    ('addons', 'polls_enabled', 'boolean', 'True'),
    ('addons', 'registration_wizard', 'boolean', 'False'),
    ('addons', 'post_geolocation_enabled', 'boolean', 'False'),
    ('addons', 'share_post_on_facebook_enabled', 'boolean', 'False'),
    ('addons', 'share_post_on_twitter_enabled', 'boolean', 'False'),
    ('addons', 'share_post_on_linkedin_enabled', 'boolean', 'False'),
    ('addons', 'private_messages_enabled', 'boolean', 'False'),
    ('addons', 'share_post_enabled', 'boolean', 'True'),
    ('advertising', 'custom_adv_enabled', 'boolean', 'False'),
    ('advertising', 'custom_adv_only_for_anonymous_users_enabled', 'boolean', 'False'),
    ('configurations', 'connection_enabled', 'boolean', 'False'),
    ('configurations', 'follow_enabled', 'boolean', 'True'),
    ('configurations', 'explore_stream_enabled', 'boolean', 'True'),
    ('configurations', 'explore_stream_order_by', 'string', 'recent'),
    ('configurations', 'home_stream_order_by', 'string', 'recent'),
    ('configurations', 'manual_categories_order_enabled', 'boolean', 'False'),
    ('configurations', 'people_search_enabled', 'boolean', 'True'),
    ('configurations', 'post_only_staff_enabled', 'boolean', 'False'),
    ('configurations', 'stream_quality', 'boolean', 'True'),
    ('configurations', 'content_availability', 'boolean', 'True'),
    ('configurations', 'users_approval_enabled', 'boolean', 'False'),
    ('configurations', 'post_type_enabled', 'boolean', 'True'),
    ('configurations', 'discussion_type_enabled', 'boolean', 'True'),
    ('configurations', 'status_type_enabled', 'boolean', 'True'),
    ('configurations', 'url_template_email_settings', 'string', ''),
    ('configurations', 'url_template_email_unsubscribe', 'string', ''),
    ('configurations', 'url_template_password_recover', 'string', ''),
    ('configurations', 'url_template_verify_email', 'string', ''),
    ('configurations', 'url_template_post', 'string', ''),
    ('configurations', 'url_template_discussion', 'string', ''),
    ('configurations', 'url_template_status', 'string', ''),
    ('configurations', 'url_template_comment', 'string', ''),
    ('configurations', 'url_template_category', 'string', ''),
    ('configurations', 'url_template_categories_list', 'string', ''),
    ('configurations', 'url_template_profile', 'string', ''),
    ('configurations', 'url_template_profile_settings', 'string', ''),
    ('configurations', 'url_template_notifications', 'string', ''),
    ('configurations', 'url_template_private_message', 'string', ''),
    ('configurations', 'url_template_incubator', 'string', ''),
    ('configurations', 'url_template_live_stream', 'string', ''),
    ('configurations', 'app_url', 'string', ''),
    ('configurations', 'user_metadata_definition', 'string', ''),
    ('configurations', 'tag_manager_container_id', 'string', ''),
    ('configurations', 'gdpr_cookie_consent_external_html', 'string', ''),
    ('configurations', 'gdpr_signup_accept_html', 'string', ''),
    ('configurations', 'custom_navbar_item_enabled', 'boolean', 'False'),
    ('configurations', 'custom_navbar_item_text', 'string', ''),
    ('configurations', 'custom_navbar_item_url', 'string', ''),
    ('configurations', 'custom_navbar_item_image', 'url', ''),
    ('configurations', 'groups_enabled', 'boolean', 'False'),
    ('configurations', 'groups_only_staff_enabled', 'boolean', 'False'),
    ('configurations', 'groups_visibility_enabled', 'boolean', 'False'),
    ('configurations', 'groups_private_enabled', 'boolean', 'False'),
    ('configurations', 'events_enabled', 'boolean', 'False'),
    ('configurations', 'events_only_staff_enabled', 'boolean', 'False'),
    ('configurations', 'events_visibility_enabled', 'boolean', 'False'),
    ('configurations', 'events_private_enabled', 'boolean', 'False'),
    ('configurations', 'courses_enabled', 'boolean', 'False'),
    ('configurations', 'courses_only_staff_enabled', 'boolean', 'False'),
    ('configurations', 'courses_visibility_enabled', 'boolean', 'False'),
    ('configurations', 'courses_private_enabled', 'boolean', 'False'),
    ('configurations', 'courses_advanced_enabled', 'boolean', 'False'),
    ('configurations', 'onboarding_enabled', 'boolean', 'False'),
    ('configurations', 'onboarding_hidden', 'boolean', 'False'),
    ('configurations', 'live_stream_enabled', 'boolean', 'False'),
    ('configurations', 'live_stream_only_staff_enabled', 'boolean', 'False'),
    ('configurations', 'live_stream_video_conference_enabled', 'boolean', 'False'),
    ('configurations', 'subscription_tier', 'string', 'ENTERPRISE'),
    ('configurations', 'payments_enabled', 'boolean', 'False'),
    ('configurations', 'stripe_connected_account_id', 'string', ''),
    ('configurations', 'context_menu_enabled', 'boolean', 'True'),
    ('configurations', 'category_follow_enabled', 'boolean', 'False'),
    ('configurations', 'comments_enabled', 'boolean', 'True'),
    ('configurations', 'sidebar_show_all_categories_enabled', 'boolean', 'True'),
    ('configurations', 'video_autoplay_enabled', 'boolean', 'False'),
    ('configurations', 'video_play_tracking_delay_seconds', 'integer', '5'),
    ('configurations', 'scheduled_posts_enabled', 'boolean', 'False'),
    ('configurations', 'post_category_required_enabled', 'boolean', 'False'),
    ('configurations', 'post_addressing_required_enabled', 'boolean', 'False'),
    ('configurations', 'post_user_addressing_enabled', 'boolean', 'True'),
    ('configurations', 'contact_api_enabled', 'boolean', 'False'),
    ('configurations', 'accepted_media_mimetypes', 'string', 'image/png,image/jpeg,image/gif,image/webp,application/pdf'),
    ('providers', 'app_url_on_app_store', 'string', ''),
    ('providers', 'app_url_on_google_play', 'string', ''),
    ('providers', 'facebook_signin_enabled', 'boolean', 'False'),
    ('providers', 'facebook_app_key', 'string', ''),
    ('providers', 'facebook_app_secret', 'string', ''),
    ('providers', 'linkedin_signin_enabled', 'boolean', 'False'),
    ('providers', 'linkedin_app_key', 'string', ''),
    ('providers', 'linkedin_app_secret', 'string', ''),
    ('providers', 'twitter_signin_enabled', 'boolean', 'False'),
    ('providers', 'twitter_app_key', 'string', ''),
    ('providers', 'twitter_app_secret', 'string', ''),
    ('providers', 'google_geocoding_api_key', 'string', ''),
    ('providers', 'google_signin_enabled', 'boolean', 'False'),
    ('providers', 'google_app_key', 'string', ''),
    ('providers', 'google_app_secret', 'string', ''),
    ('providers', 'web_push_public_key', 'string', ''),
    ('providers', 'web_push_enabled', 'boolean', 'False'),
    ('webmaster', 'meta_robots', 'string', 'index, follow'),
    ('webmaster', 'meta_title_home_not_logged', 'string', ''),
    ('webmaster', 'meta_description', 'string', ''),
    ('static', 'env', 'string', 'prod'),
    ('static', 'stackid', 'string', ''),
    ('static', 'stripe_public_key', 'string', ''),)

# What this server serves: addressing tags, reactions, the moderation API. The rest (groups,
# events, courses, live streams, payments, ...) has no endpoint here, so the UI keeps it hidden.
ENABLED_FEATURES = {"api_v2", "moderation_contents", "moderation_flags", "reaction", "tagging"}
FEATURES = (
    "interests", "customize", "addons", "domain", "social_providers", "community_subscription",
    "seo", "advertising", "google_cloud_api", "hotjar", "sqreen", "incubators", "cms",
    "legal_pages", "scoring", "user_roles", "email_manager", "loyalty", "broadcast",
    "invitation", "app_settings", "moderation_flags", "moderation_contents",
    "moderation_users_blocked", "moderation_users", "data_provisioning_dashboard",
    "data_provisioning_users", "data_provisioning_contents", "data_provisioning_interests",
    "data_provisioning_polls", "data_provisioning_reports", "registration_alerts",
    "social_share", "stream_settings", "tagging", "api_v2", "webhook", "headless",
    "customize_headless", "system_pages", "reaction", "grouping", "event", "live_stream",
    "payments", "course",
)

MENUS = (("Footer", "base"), ("Footer (anonymous)", "not_logged"), ("User menu", "user"))



def ensure_catalogue(preference_model, feature_model, menu_model, using: str = "default"):
    """Create the preferences, features and menus that are missing; leave the others as they
    are."""
    preference_model.objects.using(using).bulk_create(
        [preference_model(section=section, name=name, type=kind, value=value)
         for section, name, kind, value in PREFERENCES], ignore_conflicts=True)
    feature_model.objects.using(using).bulk_create(
        [feature_model(name=name, enabled=name in ENABLED_FEATURES) for name in FEATURES],
        ignore_conflicts=True)
    for name, slot in MENUS:
        menu_model.objects.using(using).get_or_create(slot=slot, defaults={"name": name})


def _after_migrate(sender, using="default", **kwargs):
    if getattr(sender, "label", None) != "community":
        return
    from community.models import CustomMenu, Feature, Preference

    ensure_catalogue(Preference, Feature, CustomMenu, using)


def connect():
    from django.db.models.signals import post_migrate

    post_migrate.connect(_after_migrate, dispatch_uid="community.ensure_catalogue")
