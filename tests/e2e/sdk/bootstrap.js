// What SelfCommunity's React UI reads at start, driven by SelfCommunity's official SDK
// (CommonJS): preferences, features, custom menus, the signed-in user, a user, settings,
// hidden users, user search, suggestions and popular categories; then anonymously.
//
// Usage: node bootstrap.js '{"base": URL, "reader": TOKEN, "other": USER_ID}'
// Prints one JSON object: `steps` maps each step's name to {ok: true, data} or {ok: false,
// status, contentType, data}.
'use strict';
const {
  http, PreferenceService, FeatureService, CustomMenuService, UserService, CategoryService,
  SuggestionService,
} = require('@selfcommunity/api-services');

const args = JSON.parse(process.argv[2]);
const {steps, step} = require('./record').recorder();

http.setBasePortal(args.base);

async function signedIn() {
  http.setAuthorizeToken(args.reader);
  const all = await step('preferences', PreferenceService.getAllPreferences());
  const first = all.ok ? all.data.results[0].id : 0;
  await step('preference', PreferenceService.getSpecificPreference(first));
  await step('preferencesSearch', PreferenceService.searchPreferences(
      '', '', 'colors.colorprimary, text.application_name', '-name'));
  await step('features', FeatureService.getAllFeatures());
  await step('menus', CustomMenuService.getAllCustomMenus());
  await step('menuBase', CustomMenuService.getASpecificCustomMenu('base'));
  await step('menuSearch', CustomMenuService.searchCustomMenus({search: 'user'}));
  const me = await step('me', UserService.getCurrentUser());
  const myId = me.ok ? me.data.id : 0;
  await step('permission', UserService.getCurrentUserPermission());
  await step('user', UserService.getSpecificUser(args.other));
  await step('settings', UserService.userSettings(myId));
  await step('settingsPatch', UserService.userSettingsPatch(myId, {qa_frequency: 1}));
  await step('settingsAfter', UserService.userSettings(myId));
  await step('settingsRefused', UserService.userSettingsPatch(myId, {qa_frequency: 9}));
  await step('settingsOther', UserService.userSettings(args.other));
  await step('hiddenIds', UserService.getHiddenUsersId());
  await step('hidden', UserService.getHiddenUsers());
  await step('search', UserService.userSearch({search: 'DA'}));
  await step('autocomplete', UserService.userAutocomplete({search: 'ca'}));
  await step('suggestions', SuggestionService.getUserSuggestion());
  await step('popular', CategoryService.getPopularCategories());
}

async function anonymous() {
  http.setAuthorizeToken(null);
  await step('anonymousPreferences', PreferenceService.getAllPreferences());
  await step('anonymousMe', UserService.getCurrentUser());
}

async function main() {
  await signedIn();
  await anonymous();
  process.stdout.write(JSON.stringify({steps}));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
  if (error && error.response) process.stderr.write(JSON.stringify(error.response.data) + '\n');
  process.exit(1);
});
