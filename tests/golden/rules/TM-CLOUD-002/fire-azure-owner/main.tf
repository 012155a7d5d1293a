data "azurerm_subscription" "current" {}

resource "azurerm_user_assigned_identity" "pipeline" {
  name                = "release-pipeline"
  resource_group_name = "platform"
  location            = "northeurope"
}

resource "azurerm_role_assignment" "pipeline_owner" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Owner"
  principal_id         = azurerm_user_assigned_identity.pipeline.principal_id
}
