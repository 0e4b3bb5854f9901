-- TPC-DS Q76 (Appendix B.76): count and sum of sales per channel, year, quarter and item category,
-- for sales rows in which a chosen foreign key column (one per channel) is missing.
-- @param NULLCOLCS 'cs_ship_addr_sk' ~ choice(['cs_bill_customer_sk', 'cs_bill_hdemo_sk', 'cs_bill_addr_sk', 'cs_ship_customer_sk', 'cs_ship_cdemo_sk', 'cs_ship_hdemo_sk', 'cs_ship_addr_sk', 'cs_ship_mode_sk', 'cs_warehouse_sk', 'cs_promo_sk'])
-- @param NULLCOLSS 'ss_store_sk' ~ choice(['ss_customer_sk', 'ss_cdemo_sk', 'ss_hdemo_sk', 'ss_addr_sk', 'ss_store_sk', 'ss_promo_sk'])
-- @param NULLCOLWS 'ws_ship_customer_sk' ~ choice(['ws_bill_customer_sk', 'ws_bill_hdemo_sk', 'ws_bill_addr_sk', 'ws_ship_customer_sk', 'ws_ship_cdemo_sk', 'ws_ship_hdemo_sk', 'ws_ship_addr_sk', 'ws_web_page_sk', 'ws_web_site_sk', 'ws_ship_mode_sk', 'ws_warehouse_sk', 'ws_promo_sk'])
with missing_key_sales as (
    select
        'store' as channel,
        '${NULLCOLSS}' as col_name,
        d_year,
        d_qoy,
        i_category,
        ss_ext_sales_price as ext_sales_price
    from store_sales, item, date_dim
    where ${NULLCOLSS} is null
      and ss_item_sk = i_item_sk
      and ss_sold_date_sk = d_date_sk
    union all
    select
        'web' as channel,
        '${NULLCOLWS}' as col_name,
        d_year,
        d_qoy,
        i_category,
        ws_ext_sales_price as ext_sales_price
    from web_sales, item, date_dim
    where ${NULLCOLWS} is null
      and ws_item_sk = i_item_sk
      and ws_sold_date_sk = d_date_sk
    union all
    select
        'catalog' as channel,
        '${NULLCOLCS}' as col_name,
        d_year,
        d_qoy,
        i_category,
        cs_ext_sales_price as ext_sales_price
    from catalog_sales, item, date_dim
    where ${NULLCOLCS} is null
      and cs_item_sk = i_item_sk
      and cs_sold_date_sk = d_date_sk
)
select
    channel,
    col_name,
    d_year,
    d_qoy,
    i_category,
    count(*) as sales_cnt,
    sum(ext_sales_price) as sales_amt
from missing_key_sales
group by channel, col_name, d_year, d_qoy, i_category
order by channel, col_name, d_year, d_qoy, i_category
limit 100
