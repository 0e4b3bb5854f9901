-- TPC-DS Q64 (Appendix B.64): items of chosen colours and price band sold in a store (and returned)
-- in one year and again in the next with no more sales, where the item's catalog sales exceed twice
-- its catalog refunds; with buyer and store addresses and the two years' figures.
-- @param YEAR 1999 ~ uniform(1999, 2001)
-- @param PRICE 64 ~ uniform(0, 85)
-- @param COLORS ['purple', 'burlywood', 'indian', 'spring', 'floral', 'medium'] ~ sample(vocab('colors'), 6)
with catalog_refunds as (
    select
        cs_item_sk,
        sum(cs_ext_list_price) as sale,
        sum(cr_refunded_cash + cr_reversed_charge + cr_store_credit) as refund
    from catalog_sales, catalog_returns
    where cs_item_sk = cr_item_sk
      and cs_order_number = cr_order_number
    group by cs_item_sk
    having sum(cs_ext_list_price) > 2 * sum(cr_refunded_cash + cr_reversed_charge + cr_store_credit)
),
cross_sales as (
    select
        i_product_name as product_name,
        i_item_sk as item_sk,
        s_store_name as store_name,
        s_zip as store_zip,
        sale_addr.ca_street_number as b_street_number,
        sale_addr.ca_street_name as b_street_name,
        sale_addr.ca_city as b_city,
        sale_addr.ca_zip as b_zip,
        home_addr.ca_street_number as c_street_number,
        home_addr.ca_street_name as c_street_name,
        home_addr.ca_city as c_city,
        home_addr.ca_zip as c_zip,
        sold.d_year as syear,
        first_sale.d_year as fsyear,
        first_ship.d_year as s2year,
        count(*) as cnt,
        sum(ss_wholesale_cost) as s1,
        sum(ss_list_price) as s2,
        sum(ss_coupon_amt) as s3
    from store_sales,
        store_returns,
        catalog_refunds,
        date_dim sold,
        date_dim first_sale,
        date_dim first_ship,
        store,
        customer,
        customer_demographics sale_cd,
        customer_demographics home_cd,
        promotion,
        household_demographics sale_hd,
        household_demographics home_hd,
        customer_address sale_addr,
        customer_address home_addr,
        income_band sale_ib,
        income_band home_ib,
        item
    where ss_store_sk = s_store_sk
      and ss_sold_date_sk = sold.d_date_sk
      and ss_customer_sk = c_customer_sk
      and ss_cdemo_sk = sale_cd.cd_demo_sk
      and ss_hdemo_sk = sale_hd.hd_demo_sk
      and ss_addr_sk = sale_addr.ca_address_sk
      and ss_item_sk = i_item_sk
      and ss_item_sk = sr_item_sk
      and ss_ticket_number = sr_ticket_number
      and ss_item_sk = catalog_refunds.cs_item_sk
      and c_current_cdemo_sk = home_cd.cd_demo_sk
      and c_current_hdemo_sk = home_hd.hd_demo_sk
      and c_current_addr_sk = home_addr.ca_address_sk
      and c_first_sales_date_sk = first_sale.d_date_sk
      and c_first_shipto_date_sk = first_ship.d_date_sk
      and ss_promo_sk = p_promo_sk
      and sale_hd.hd_income_band_sk = sale_ib.ib_income_band_sk
      and home_hd.hd_income_band_sk = home_ib.ib_income_band_sk
      and sale_cd.cd_marital_status <> home_cd.cd_marital_status
      and i_color in (${COLORS})
      and i_current_price between ${PRICE} and ${PRICE} + 10
      and i_current_price between ${PRICE} + 1 and ${PRICE} + 15
    group by
        i_product_name,
        i_item_sk,
        s_store_name,
        s_zip,
        sale_addr.ca_street_number,
        sale_addr.ca_street_name,
        sale_addr.ca_city,
        sale_addr.ca_zip,
        home_addr.ca_street_number,
        home_addr.ca_street_name,
        home_addr.ca_city,
        home_addr.ca_zip,
        sold.d_year,
        first_sale.d_year,
        first_ship.d_year
)
select
    y1.product_name,
    y1.store_name,
    y1.store_zip,
    y1.b_street_number,
    y1.b_street_name,
    y1.b_city,
    y1.b_zip,
    y1.c_street_number,
    y1.c_street_name,
    y1.c_city,
    y1.c_zip,
    y1.syear as syear1,
    y1.cnt as cnt1,
    y1.s1 as s11,
    y1.s2 as s21,
    y1.s3 as s31,
    y2.s1 as s12,
    y2.s2 as s22,
    y2.s3 as s32,
    y2.syear as syear2,
    y2.cnt as cnt2
from cross_sales y1, cross_sales y2
where y1.item_sk = y2.item_sk
  and y1.syear = ${YEAR}
  and y2.syear = ${YEAR} + 1
  and y2.cnt <= y1.cnt
  and y1.store_name = y2.store_name
  and y1.store_zip = y2.store_zip
order by y1.product_name, y1.store_name, y2.cnt, y1.s1, y2.s1
